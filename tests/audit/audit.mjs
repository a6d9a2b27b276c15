// GraphQL-over-HTTP conformance: graphql-http's auditServer against a running server.
//
//   node audit.mjs <graphql url> <api key>
//   GRAPHQL_URL=... AUDIT_API_KEY=... node audit.mjs
//
// Prints one line per audit and a summary; exits 1 when any MUST audit failed, 2 when the audit
// could not run at all (bad arguments, server unreachable).
import { auditServer } from 'graphql-http';

const REQUEST_TIMEOUT_MS = 10_000;

const [url = process.env.GRAPHQL_URL, apiKey = process.env.AUDIT_API_KEY] = process.argv.slice(2);
if (!url || !apiKey) {
  console.error('usage: node audit.mjs <graphql url> <api key>  (or GRAPHQL_URL, AUDIT_API_KEY)');
  process.exit(2);
}

// graphql-http has no audits about authentication, and every request to our API needs a key.
function authorizedFetch(input, init = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${apiKey}`);
  const signal = init.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  return fetch(input, { ...init, headers, signal });
}

let results;
try {
  results = await auditServer({ url, fetchFn: authorizedFetch });
} catch (error) {
  console.error(`audit: could not run against ${url}: ${error?.cause?.message ?? error}`);
  process.exit(2);
}

const counts = { ok: 0, warn: 0, error: 0 };
let mustFailures = 0;
for (const result of results) {
  // 'notice' is a failed MAY audit: optional, so it counts as a warning.
  const status = result.status === 'notice' ? 'warn' : result.status;
  counts[status] += 1;
  if (status !== 'ok' && result.name.startsWith('MUST')) {
    mustFailures += 1;
  }
  const detail = result.status === 'ok' ? '' : ` -- ${result.reason} (HTTP ${result.response.status})`;
  console.log(`${result.status.padEnd(6)} ${result.name}${detail}`);
}
console.log(
  `audit: ${counts.ok} passed, ${counts.warn} warnings, ${counts.error} failed ` +
    `(MUST failures: ${mustFailures})`,
);
process.exit(mustFailures > 0 ? 1 : 0);
