import { useEffect, useRef } from 'react';
import type { ActivityEntryFragment } from '../api/generated';
import { retryDelayMs, useLive } from '../api/live';

export interface LiveActivityOptions {
  customerId: string;
  /** False until the timeline's first page came: the stream starts after its newest entry. */
  enabled: boolean;
  /** The newest entry shown, where the stream starts (null: from now). */
  newestId: string | null;
  onEntry: (entry: ActivityEntryFragment) => void;
  /** More was missed than the server replays (RESYNC_REQUIRED): fetch again what is shown. */
  onResync: () => void;
}

/** A customer's new activity as it comes, over the session's socket. Each (re)subscription asks
 * for what came after the newest entry seen, so that a reconnection misses nothing and repeats
 * nothing. */
export function useLiveActivity({ customerId, enabled, newestId, onEntry, onResync }: LiveActivityOptions): void {
  const live = useLive();
  // Read when the stream starts, and the callbacks when an entry comes: neither restarts it.
  const latest = useRef({ newestId, onEntry, onResync });
  latest.current = { newestId, onEntry, onResync };

  useEffect(() => {
    if (!enabled) return;
    let after = latest.current.newestId;
    let failures = 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stop = (): void => {};
    const start = () => {
      stop = live.activityAdded(() => ({ customerId, after }), {
        next: (entry) => {
          failures = 0;
          after = entry.id;
          latest.current.onEntry(entry);
        },
        error: (code) => {
          if (code === 'RESYNC_REQUIRED') {
            // Too far behind to replay: show the newest again and continue live from now.
            after = null;
            latest.current.onResync();
            start();
            return;
          }
          // Refused (rate limited, the server failing): again later, from where it stopped.
          retry = setTimeout(start, retryDelayMs(failures++));
        },
      });
    };
    start();
    return () => {
      clearTimeout(retry);
      stop();
    };
  }, [live, customerId, enabled]);
}
