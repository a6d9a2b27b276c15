import { Client, cacheExchange, fetchExchange } from '@urql/core';
import { createLive, type Live } from './live';

export const GRAPHQL_PATH = '/graphql';

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
  /** Live updates over the session's one socket. */
  live: Live;
  dispose: () => void;
}

/** One client per signed-in key, so that no cached answer outlives the principal it was for. */
export function createApi({ key, onUnauthenticated, location = window.location, webSocketImpl }: ApiOptions): Api {
  const authorization = `Bearer ${key}`;
  // Lazy: until something subscribes, no socket opens.
  const live = createLive({
    url: `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${GRAPHQL_PATH}`,
    authorization,
    onUnauthenticated,
    webSocketImpl,
  });

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
    exchanges: [cacheExchange, fetchExchange],
  });
  return { client, live, dispose: live.dispose };
}
