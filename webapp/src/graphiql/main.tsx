import './nonceStyles';
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './page.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import examples from 'virtual:readme-examples';
import { GRAPHQL_PATH } from '../api/client';
import { readKey } from '../auth/keyStore';

// The key the app signed in with (this tab's sessionStorage, same origin) as the Authorization
// header: shown in every tab, so the README's examples run as they are, and sent by default, so
// that the schema (and its descriptions in the documentation pane) loads before any tab runs.
const key = readKey();
const authorization = key ? { Authorization: `Bearer ${key}` } : undefined;
const headers = authorization ? JSON.stringify(authorization, null, 2) : '';
const root = document.getElementById('graphiql');
if (root === null) throw new Error('graphiql.html has no #graphiql');

createRoot(root).render(
  <StrictMode>
    <GraphiQL
      fetcher={createGraphiQLFetcher({ url: GRAPHQL_PATH, headers: authorization })}
      defaultTabs={examples.map((query) => ({ query, headers }))}
      defaultHeaders={headers}
      // Tabs and history in this tab's sessionStorage, never in localStorage.
      storage={sessionStorage}
    />
  </StrictMode>,
);
