import { expect, it, vi } from 'vitest';
import { createApi } from './client';

/** Records what graphql-ws does with the socket, without a network. */
class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static opened: FakeSocket[] = [];
  readonly sent: string[] = [];
  readyState = 0;
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: (() => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocol: string,
  ) {
    FakeSocket.opened.push(this);
    queueMicrotask(() => {
      this.readyState = 1;
      this.onopen?.();
    });
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {}
}

it('opens no socket until something subscribes, then one with the key in connection_init', async () => {
  const location = { protocol: 'https:', host: 'partner.example' };
  const api = createApi({ key: 'csp_test', onUnauthenticated: vi.fn(), location, webSocketImpl: FakeSocket });
  expect(FakeSocket.opened).toHaveLength(0);

  const unsubscribe = api.live.activityAdded(() => ({ customerId: 'cus-1' }), { next: vi.fn(), error: vi.fn() });
  await vi.waitFor(() => expect(FakeSocket.opened[0]?.sent.length).toBeGreaterThan(0));

  const socket = FakeSocket.opened[0]!;
  expect(socket.url).toBe('wss://partner.example/graphql');
  expect(socket.protocol).toBe('graphql-transport-ws');
  expect(JSON.parse(socket.sent[0]!)).toEqual({ type: 'connection_init', payload: { Authorization: 'Bearer csp_test' } });
  unsubscribe();
  api.dispose();
});
