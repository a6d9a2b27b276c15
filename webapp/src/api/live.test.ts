import { expect, it, vi } from 'vitest';
import { createLive, nextLiveStatus, retryDelayMs, type LiveStatus } from './live';

/** A socket that a test plays the server of, without a network. */
class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static opened: FakeSocket[] = [];
  readonly sent: Record<string, unknown>[] = [];
  readyState = 0;
  onopen: (() => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
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
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  receive(message: object) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(code: number) {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
  close() {
    this.readyState = 3;
  }
}

const entry = (id: string) => ({
  id,
  operation: 'QUANTITY_CHANGED',
  occurredAt: '2026-12-02T11:00:00+00:00',
  actor: 'Sam Sales',
  actorKind: 'USER',
  before: { quantity: 10 },
  after: { quantity: 11 },
  subscription: { id: 'sub-1', friendlyName: 'Office' },
});

async function subscribed(socket: FakeSocket) {
  await vi.waitFor(() => expect(socket.sent[0]?.['type']).toBe('connection_init'));
  socket.receive({ type: 'connection_ack' });
  await vi.waitFor(() => expect(socket.sent[1]?.['type']).toBe('subscribe'));
  return socket.sent[1] as { id: string; payload: { variables: unknown } };
}

it('resubscribes after a lost connection from the newest entry seen, and shows the status', async () => {
  FakeSocket.opened = [];
  const statuses: LiveStatus[] = [];
  const live = createLive({
    url: 'wss://partner.example/graphql',
    authorization: 'Bearer csp_test',
    onUnauthenticated: vi.fn(),
    webSocketImpl: FakeSocket,
    retryWait: () => Promise.resolve(),
  });
  live.onStatus(() => statuses.push(live.status()));
  const received: string[] = [];
  let after: string | null = 'act-1';
  const stop = live.activityAdded(() => ({ customerId: 'cus-1', after }), {
    next: (e) => {
      after = e.id;
      received.push(e.id);
    },
    error: vi.fn(),
  });

  const first = FakeSocket.opened[0]!;
  const subscribe = await subscribed(first);
  expect(first.sent[0]).toEqual({ type: 'connection_init', payload: { Authorization: 'Bearer csp_test' } });
  expect(subscribe.payload.variables).toEqual({ customerId: 'cus-1', after: 'act-1' });
  first.receive({ type: 'next', id: subscribe.id, payload: { data: { activityAdded: entry('act-2') } } });
  expect(received).toEqual(['act-2']);

  first.drop(1006);
  await vi.waitFor(() => expect(FakeSocket.opened).toHaveLength(2));
  const again = await subscribed(FakeSocket.opened[1]!);
  expect(again.payload.variables).toEqual({ customerId: 'cus-1', after: 'act-2' });
  expect(statuses).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);

  stop();
  live.dispose();
  expect(live.status()).toBe('idle');
});

it('signs out when the server refuses the key (4403)', async () => {
  FakeSocket.opened = [];
  const onUnauthenticated = vi.fn();
  const live = createLive({ url: 'ws://h/graphql', authorization: 'Bearer x', onUnauthenticated, webSocketImpl: FakeSocket });
  const stop = live.activityAdded(() => ({ customerId: 'cus-1' }), { next: vi.fn(), error: vi.fn() });
  await vi.waitFor(() => expect(FakeSocket.opened[0]?.sent).toHaveLength(1));
  FakeSocket.opened[0]!.drop(4403);
  expect(onUnauthenticated).toHaveBeenCalledTimes(1);
  stop();
  live.dispose();
});

it('passes on the code of a stream error, such as RESYNC_REQUIRED', async () => {
  FakeSocket.opened = [];
  const error = vi.fn();
  const live = createLive({ url: 'ws://h/graphql', authorization: 'Bearer x', onUnauthenticated: vi.fn(), webSocketImpl: FakeSocket });
  live.activityAdded(() => ({ customerId: 'cus-1', after: 'act-1' }), { next: vi.fn(), error });
  const socket = FakeSocket.opened[0]!;
  const subscribe = await subscribed(socket);
  socket.receive({ type: 'error', id: subscribe.id, payload: [{ message: 'too many', extensions: { code: 'RESYNC_REQUIRED' } }] });
  expect(error).toHaveBeenCalledWith('RESYNC_REQUIRED');
  live.dispose();
});

it('waits longer after each failed retry, up to 30 s, with up to 3 s at random', () => {
  expect([0, 1, 2, 4, 5, 10].map((retries) => retryDelayMs(retries, () => 0))).toEqual([1000, 2000, 4000, 16000, 30000, 30000]);
  expect(retryDelayMs(0, () => 0.999)).toBe(3997);
});

it('tells connecting, connected, reconnecting and idle apart', () => {
  expect(nextLiveStatus({ type: 'connecting', retrying: false })).toBe('connecting');
  expect(nextLiveStatus({ type: 'connecting', retrying: true })).toBe('reconnecting');
  expect(nextLiveStatus({ type: 'connected' })).toBe('connected');
  expect(nextLiveStatus({ type: 'closed', code: 1006 })).toBe('reconnecting');
  expect(nextLiveStatus({ type: 'closed', code: 1000 })).toBe('idle');
});
