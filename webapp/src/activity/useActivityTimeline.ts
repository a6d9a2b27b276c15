import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient } from 'urql';
import { requestErrorCode } from '../api/errors';
import { ActivityDocument, type ActivityEntryFragment, type ActivityFilter } from '../api/generated';
import type { ErrorCode } from '../i18n/codes';
import { mergeEntries } from './timeline';

const PAGE_SIZE = 20;

export interface Timeline {
  entries: ActivityEntryFragment[];
  /** False until the first page came. */
  loaded: boolean;
  hasMore: boolean;
  loading: boolean;
  error: ErrorCode | null;
  loadMore: () => void;
  /** The request that failed, again. */
  retry: () => void;
  /** Entries from anywhere else (a live update): merged by id, so none shows twice. */
  merge: (entries: readonly ActivityEntryFragment[]) => void;
}

interface State {
  entries: ActivityEntryFragment[];
  /** Where "load more" continues: the end of the oldest page loaded; null before the first. */
  cursor: string | null;
  hasMore: boolean;
  loaded: boolean;
}

const EMPTY: State = { entries: [], cursor: null, hasMore: false, loaded: false };

/** The timeline's one state: the entries newest first, and where the next older page starts.
 * `refreshKey` changing (a subscription's version after a change) fetches the newest page again
 * and merges it, keeping the older pages already shown. */
export function useActivityTimeline(filter: ActivityFilter, refreshKey: unknown): Timeline {
  const client = useClient();
  const [state, setState] = useState<State>(EMPTY);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState<{ code: ErrorCode; after: string | null } | null>(null);
  // By value, not by object: a caller's new but equal filter is the same timeline.
  const filterKey = JSON.stringify(filter);
  const shown = useRef(filterKey);

  const fetchPage = useCallback(
    async (after: string | null) => {
      setLoading(true);
      const variables = { filter: JSON.parse(filterKey) as ActivityFilter, first: PAGE_SIZE, after };
      const result = await client.query(ActivityDocument, variables, { requestPolicy: 'network-only' }).toPromise();
      if (shown.current !== filterKey) return; // another customer or subscription by now
      setLoading(false);
      if (result.error || !result.data) {
        setFailed({ code: result.error ? requestErrorCode(result.error) : 'INTERNAL_SERVER_ERROR', after });
        return;
      }
      setFailed(null);
      const page = result.data.activity;
      setState((current) => {
        // The newest page again (after == null) leaves "load more" where the older pages ended.
        const continues = after !== null || !current.loaded;
        return {
          entries: mergeEntries(current.entries, page.nodes),
          cursor: continues ? page.pageInfo.endCursor : current.cursor,
          hasMore: continues ? page.pageInfo.hasNextPage : current.hasMore,
          loaded: true,
        };
      });
    },
    [client, filterKey],
  );

  useEffect(() => {
    if (shown.current === filterKey) return;
    shown.current = filterKey; // another customer or subscription: start over
    setState(EMPTY);
    setFailed(null);
  }, [filterKey]);
  useEffect(() => {
    void fetchPage(null);
  }, [fetchPage, refreshKey]);

  const merge = useCallback(
    (entries: readonly ActivityEntryFragment[]) => setState((current) => ({ ...current, entries: mergeEntries(current.entries, entries) })),
    [],
  );
  return {
    entries: state.entries,
    loaded: state.loaded,
    hasMore: state.hasMore,
    loading,
    error: failed?.code ?? null,
    loadMore: () => void fetchPage(state.cursor),
    retry: () => void fetchPage(failed?.after ?? null),
    merge,
  };
}
