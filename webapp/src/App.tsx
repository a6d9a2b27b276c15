import { useCallback, useEffect, useMemo, useState } from 'react';
import { Provider as UrqlProvider } from 'urql';
import { Route, Switch } from 'wouter';
import { createApi } from './api/client';
import { LiveProvider } from './api/live';
import { clearKey, readKey, writeKey } from './auth/keyStore';
import { Shell } from './components/Shell';
import { idParam } from './routes';
import { AddSubscription } from './screens/AddSubscription';
import { CustomerList } from './screens/CustomerList';
import { CustomerSubscriptions } from './screens/CustomerSubscriptions';
import { NotFound } from './screens/NotFound';
import { SignIn } from './screens/SignIn';
import { SubscriptionPage } from './screens/SubscriptionPage';
import { RequireViewer, ViewerProvider } from './viewer/ViewerProvider';

/** Signed out: the sign-in screen at whatever address was asked for; signed in: the screens. */
export function App() {
  const [key, setKey] = useState(readKey);
  const [refused, setRefused] = useState(false);
  const signIn = useCallback((next: string) => {
    writeKey(next);
    setRefused(false);
    setKey(next);
  }, []);
  const signOut = useCallback((wasRefused: boolean) => {
    clearKey();
    setRefused(wasRefused);
    setKey(null);
  }, []);
  if (key === null) {
    return (
      <Shell>
        <SignIn onSignIn={signIn} refused={refused} />
      </Shell>
    );
  }
  // Keyed by the API key: a new principal gets a new client, and no answer cached for the last one.
  return <SignedIn key={key} apiKey={key} onSignOut={signOut} />;
}

function SignedIn({ apiKey, onSignOut }: { apiKey: string; onSignOut: (refused: boolean) => void }) {
  const api = useMemo(() => createApi({ key: apiKey, onUnauthenticated: () => onSignOut(true) }), [apiKey, onSignOut]);
  useEffect(() => api.dispose, [api]);
  return (
    <UrqlProvider value={api.client}>
      <LiveProvider value={api.live}>
        <ViewerProvider onSignOut={() => onSignOut(false)}>
          <Switch>
            <Route path="/">
              <CustomerList />
            </Route>
            <Route path="/customers/:customerId">
              {(params) => (
                <RequireViewer>
                  <CustomerSubscriptions customerId={idParam(params.customerId)} />
                </RequireViewer>
              )}
            </Route>
            <Route path="/customers/:customerId/add">
              {(params) => (
                <RequireViewer>
                  <AddSubscription customerId={idParam(params.customerId)} />
                </RequireViewer>
              )}
            </Route>
            <Route path="/subscriptions/:subscriptionId">
              {(params) => (
                <RequireViewer>
                  <SubscriptionPage subscriptionId={idParam(params.subscriptionId)} />
                </RequireViewer>
              )}
            </Route>
            <Route>
              <NotFound />
            </Route>
          </Switch>
        </ViewerProvider>
      </LiveProvider>
    </UrqlProvider>
  );
}
