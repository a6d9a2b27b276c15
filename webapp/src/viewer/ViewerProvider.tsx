import { createContext, useContext, type ReactNode } from 'react';
import { useQuery } from 'urql';
import { ViewerDocument, type ViewerQuery } from '../api/generated';
import { requestErrorCode } from '../api/errors';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { Shell } from '../components/Shell';

export type Viewer = ViewerQuery['viewer'];

const ViewerContext = createContext<Viewer | null>(null);

/** Loads who is signed in, once, and frames the screens with it. The screens start at once, so
 * that their own queries run beside this one; those that decide what to offer by the viewer
 * wait for it inside RequireViewer. */
export function ViewerProvider({ onSignOut, children }: { onSignOut: () => void; children: ReactNode }) {
  const [{ data, error }, reexecute] = useQuery({ query: ViewerDocument, requestPolicy: 'cache-first' });
  const viewer = data?.viewer ?? null;
  return (
    <ViewerContext.Provider value={viewer}>
      <Shell viewer={viewer ?? undefined} onSignOut={onSignOut}>
        {error && !viewer ? (
          <ErrorNotice code={requestErrorCode(error)} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
        ) : (
          children
        )}
      </Shell>
    </ViewerContext.Provider>
  );
}

/** Its screen, once the viewer is known. */
export function RequireViewer({ children }: { children: ReactNode }) {
  return useContext(ViewerContext) ? children : <Loading />;
}

export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (viewer === null) throw new Error('useViewer needs a RequireViewer around it');
  return viewer;
}
