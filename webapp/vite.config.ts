import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { readmeExamples } from './plugins/readmeExamples.ts';

// The server swaps this for a fresh nonce in every HTML response (web/webapp.py); Vite puts it on
// its tags and into <meta property="csp-nonce">, where run-time style insertion reads it.
const CSP_NONCE_PLACEHOLDER = '__CSP_NONCE__';

export default defineConfig({
  plugins: [react(), readmeExamples(fileURLToPath(new URL('../README.md', import.meta.url)))],
  html: { cspNonce: CSP_NONCE_PLACEHOLDER },
  build: {
    // Two pages: the app, and GraphiQL (Monaco is large and must stay out of the app's first load).
    rolldownOptions: {
      input: {
        app: fileURLToPath(new URL('index.html', import.meta.url)),
        graphiql: fileURLToPath(new URL('graphiql.html', import.meta.url)),
      },
      // GraphiQL's React-compiler directives ("use no memo") mean nothing to a bundle: not a problem.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
    // The budget script reads which chunks the app's first load takes.
    manifest: true,
    // Fonts and images as files under /assets, not data: URIs the CSP would have to allow.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 5000,
  },
  worker: { format: 'es' },
  // `npm run dev` against a server started by `make run`.
  server: { proxy: { '/graphql': { target: 'http://127.0.0.1:8000', ws: true } } },
  test: { environment: 'node', include: ['src/**/*.test.ts', 'plugins/**/*.test.ts'] },
});
