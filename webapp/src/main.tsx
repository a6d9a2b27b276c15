import {
  FluentProvider,
  RendererProvider,
  createDOMRenderer,
  makeStaticStyles,
  webLightTheme,
} from '@fluentui/react-components';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { cspNonce } from './csp';
import { I18nProvider } from './i18n/I18nProvider';

const nonce = cspNonce();
// Griffel (Fluent UI's CSS-in-JS) puts its rules into <style> elements; with the page's nonce on
// them the Content-Security-Policy lets them apply without allowing inline styles in general.
const renderer = createDOMRenderer(document, { styleElementAttributes: nonce ? { nonce } : {} });
const useGlobalStyles = makeStaticStyles({ body: { margin: 0 } });

function Page() {
  useGlobalStyles();
  return (
    <FluentProvider theme={webLightTheme}>
      <I18nProvider>
        <App />
      </I18nProvider>
    </FluentProvider>
  );
}

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <RendererProvider renderer={renderer} targetDocument={document}>
      <Page />
    </RendererProvider>
  </StrictMode>,
);
