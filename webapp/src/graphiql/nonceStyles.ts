import { cspNonce } from '../csp';

// Monaco, GraphiQL's editor, creates <style> elements of its own and offers no way to give them a
// nonce. Every <style> this page's own scripts create gets the page's nonce, so the CSP lets them
// apply; a <style> injected into the markup still does not. Imported before anything else.
const nonce = cspNonce();
if (nonce !== undefined) {
  const createElement = Document.prototype.createElement;
  Document.prototype.createElement = function (this: Document, tagName: string, options?: ElementCreationOptions) {
    const element = createElement.call(this, tagName, options);
    if (element instanceof HTMLStyleElement) element.nonce = nonce;
    return element;
  } as typeof Document.prototype.createElement;
}
