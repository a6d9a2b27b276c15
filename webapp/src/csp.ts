/**
 * The nonce the server put into this page's <meta property="csp-nonce"> (a fresh one per
 * response). The Content-Security-Policy admits <style> elements that carry it: that is how
 * styles inserted at run time (Fluent UI's Griffel, GraphiQL's Monaco) get past a policy that
 * allows no inline styles. Browsers hide the attribute from the DOM; the property keeps it.
 */
export function cspNonce(): string | undefined {
  const meta = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]');
  return meta?.nonce || undefined;
}
