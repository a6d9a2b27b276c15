// The session's one socket for live updates (graphql-transport-ws on /graphql): lazy, retried with
// a capped backoff for as long as something subscribes, its state observable for the "live" sign.
import { stringifyDocument } from '@urql/core';
import { createClient, type Client as SocketClient } from 'graphql-ws/client';
import { createContext, useContext, useSyncExternalStore } from 'react';
import { ActivityAddedDocument, type ActivityAddedSubscriptionVariables, type ActivityEntryFragment } from './generated';

/** idle: nothing subscribes; connecting: the first connection; connected; reconnecting: lost, retrying. */
export type LiveStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting';

/** graphql-ws closes the socket with this code when the key in connection_init is unusable. */
const SOCKET_UNAUTHORIZED = 4403;
/** The close graphql-ws makes itself when the last subscriber leaves (lazy). */
const NORMAL_CLOSURE = 1000;
const MAX_RETRY_DELAY_MS = 30_000;

/** How long to wait before the retry after `retries` failed ones: doubling from 1 s up to 30 s,
 * plus up to 3 s at random so that a restarted server is not met by every tab at once. */
export function retryDelayMs(retries: number, random: () => number = Math.random): number {
  return Math.min(1000 * 2 ** retries, MAX_RETRY_DELAY_MS) + Math.floor(random() * 3000);
}

/** The status after a socket event: the input of the "live" sign. */
export function nextLiveStatus(event: { type: 'connecting'; retrying: boolean } | { type: 'connected' } | { type: 'closed'; code: number }): LiveStatus {
  switch (event.type) {
    case 'connecting':
      return event.retrying ? 'reconnecting' : 'connecting';
    case 'connected':
      return 'connected';
    case 'closed':
      // A normal closure is the lazy close after the last subscriber left; anything else is retried.
      return event.code === NORMAL_CLOSURE ? 'idle' : 'reconnecting';
  }
}

export interface ActivitySink {
  next: (entry: ActivityEntryFragment) => void;
  /** The stream ended with an error: its code (such as RESYNC_REQUIRED), or null when it has none. */
  error: (code: string | null) => void;
}

export interface Live {
  status: () => LiveStatus;
  onStatus: (listener: () => void) => () => void;
  /** Subscribes to `activityAdded`. `variables` is read at every (re)subscription, so that a
   * reconnection resumes after the newest entry seen. Returns the unsubscribe. */
  activityAdded: (variables: () => ActivityAddedSubscriptionVariables, sink: ActivitySink) => () => void;
  dispose: () => void;
}

export interface LiveOptions {
  url: string;
  authorization: string;
  onUnauthenticated: () => void;
  webSocketImpl?: unknown;
  retryWait?: (retries: number) => Promise<void>;
}

export function createLive({ url, authorization, onUnauthenticated, webSocketImpl, retryWait }: LiveOptions): Live {
  let status: LiveStatus = 'idle';
  const listeners = new Set<() => void>();
  const setStatus = (next: LiveStatus) => {
    if (next === status) return;
    status = next;
    listeners.forEach((listener) => listener());
  };
  const query = stringifyDocument(ActivityAddedDocument);
  let socket: SocketClient | undefined;
  const open = (): SocketClient =>
    (socket ??= createClient({
      url,
      lazy: true,
      connectionParams: { Authorization: authorization },
      webSocketImpl,
      retryAttempts: Infinity,
      // A failed connection may surface as an error event rather than a close: retry it too (the
      // fatal close codes, such as 4400, still end the stream).
      shouldRetry: () => true,
      retryWait: retryWait ?? ((retries) => new Promise((resolve) => setTimeout(resolve, retryDelayMs(retries)))),
      on: {
        connecting: (retrying) => setStatus(nextLiveStatus({ type: 'connecting', retrying })),
        connected: () => setStatus(nextLiveStatus({ type: 'connected' })),
        closed: (event) => {
          const code = (event as CloseEvent).code;
          if (code === SOCKET_UNAUTHORIZED) onUnauthenticated();
          setStatus(nextLiveStatus({ type: 'closed', code }));
        },
      },
    }));

  return {
    status: () => status,
    onStatus: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    activityAdded: (variables, sink) =>
      open().subscribe<{ activityAdded: ActivityEntryFragment }>(
        // graphql-ws serialises the payload again for every retry: the getter gives the newest `after`.
        {
          query,
          get variables() {
            return { ...variables() };
          },
        },
        {
          next: (result) => {
            if (result.data) sink.next(result.data.activityAdded);
            else sink.error(errorCode(result.errors));
          },
          error: (error) => sink.error(Array.isArray(error) ? errorCode(error) : null),
          complete: () => {},
        },
      ),
    dispose: () => {
      void socket?.dispose();
      socket = undefined;
      setStatus('idle');
    },
  };
}

function errorCode(errors: readonly { extensions?: Record<string, unknown> }[] | undefined): string | null {
  const code = errors?.[0]?.extensions?.['code'];
  return typeof code === 'string' ? code : null;
}

const LiveContext = createContext<Live | null>(null);
export const LiveProvider = LiveContext.Provider;

export function useLive(): Live {
  const live = useContext(LiveContext);
  if (live === null) throw new Error('useLive outside a signed-in session');
  return live;
}

export function useLiveStatus(): LiveStatus {
  const live = useLive();
  return useSyncExternalStore(live.onStatus, live.status);
}
