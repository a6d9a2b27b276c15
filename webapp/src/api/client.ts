import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createSocketClient, type Client as SocketClient } from 'graphql-ws/client';

export const GRAPHQL_PATH = '/graphql';
/** graphql-ws closes the socket with this code when the key in connection_init is unusable. */
const SOCKET_UNAUTHORIZED = 4403;

export interface ApiOptions {
  key: string;
  /** The server refused the key: HTTP 401, or the socket closed with 4403. */
  onUnauthenticated: () => void;
  /** Where the page is; the socket goes to the same origin. */
  location?: Pick<Location, 'protocol' | 'host'>;
  webSocketImpl?: unknown;
}

export interface Api {
  client: Client;
  dispose: () => void;
}

/** One client per signed-in key, so that no cached answer outlives the principal it was for. */
export function createApi({ key, onUnauthenticated, location = window.location, webSocketImpl }: ApiOptions): Api {
  const authorization = `Bearer ${key}`;
  let socket: SocketClient | undefined;
  // Created on the first subscription only, and lazy: until something subscribes, no socket opens.
  const openSocket = (): SocketClient =>
    (socket ??= createSocketClient({
      url: `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${GRAPHQL_PATH}`,
      lazy: true,
      connectionParams: { Authorization: authorization },
      webSocketImpl,
      on: {
        closed: (event) => {
          if ((event as CloseEvent).code === SOCKET_UNAUTHORIZED) onUnauthenticated();
        },
      },
    }));

  const client = new Client({
    url: GRAPHQL_PATH,
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: { headers: { Authorization: authorization } },
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (response.status === 401) onUnauthenticated();
      return response;
    },
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({
            unsubscribe: openSocket().subscribe({ ...request, query: request.query ?? '' }, sink),
          }),
        }),
      }),
    ],
  });
  const dispose = () => {
    void socket?.dispose();
    socket = undefined;
  };
  return { client, dispose };
}
