import { createContext, useContext, type ReactNode } from 'react';
import { useQuery } from 'urql';
import { ViewerDocument, type ViewerQuery } from '../api/generated';
import { requestErrorCode } from '../api/errors';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { Shell } from '../components/Shell';

export type Viewer = ViewerQuery['viewer'];

const ViewerContext = createContext<Viewer | null>(null);

/** Loads who is signed in, once, and frames the screens with it; every screen reads it to decide
 * what to offer. Until it is known, the frame offers signing out and the screens wait. */
export function ViewerProvider({ onSignOut, children }: { onSignOut: () => void; children: ReactNode }) {
  const [{ data, error }, reexecute] = useQuery({ query: ViewerDocument, requestPolicy: 'cache-first' });
  if (data) {
    return (
      <ViewerContext.Provider value={data.viewer}>
        <Shell viewer={data.viewer} onSignOut={onSignOut}>
          {children}
        </Shell>
      </ViewerContext.Provider>
    );
  }
  return (
    <Shell onSignOut={onSignOut}>
      {error ? (
        <ErrorNotice code={requestErrorCode(error)} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
      ) : (
        <Loading />
      )}
    </Shell>
  );
}

export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (viewer === null) throw new Error('useViewer needs a ViewerProvider');
  return viewer;
}
