import { Badge, Button, type BadgeProps, Text, Title3, makeStyles, tokens, useId } from '@fluentui/react-components';
import { useState } from 'react';
import type { ActivityEntryFragment, ActivityFilter } from '../api/generated';
import { useLiveStatus, type LiveStatus } from '../api/live';
import { belongsTo, factChanges, formatFact, type FactFormat } from '../activity/timeline';
import { useActivityTimeline } from '../activity/useActivityTimeline';
import { useLiveActivity } from '../activity/useLiveActivity';
import type { MessageKey } from '../i18n/catalogue';
import { useI18n } from '../i18n/I18nProvider';
import { ErrorNotice } from './ErrorNotice';
import { Loading } from './Loading';

const useStyles = makeStyles({
  heading: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  // Read by screen readers, not shown: the announcement of a live entry.
  visuallyHidden: {
    position: 'absolute',
    width: '1px',
    height: '1px',
    margin: '-1px',
    padding: 0,
    overflow: 'hidden',
    clip: 'rect(0, 0, 0, 0)',
    whiteSpace: 'nowrap',
  },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: '320px' },
  list: { margin: 0, padding: 0, listStyleType: 'none', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  entry: { borderLeft: `${tokens.strokeWidthThick} solid ${tokens.colorNeutralStroke1}`, paddingLeft: tokens.spacingHorizontalM },
  head: { display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: tokens.spacingHorizontalS },
  meta: { color: tokens.colorNeutralForeground2 },
  changes: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

// The facts a record may hold, by the API's names; a fact not listed here shows its own name.
const FACT_LABELS: Record<string, MessageKey> = {
  offer: 'activity.fact.offer',
  friendlyName: 'activity.fact.friendlyName',
  quantity: 'activity.fact.quantity',
  status: 'activity.fact.status',
  suspendedAt: 'activity.fact.suspendedAt',
  autoRenew: 'activity.fact.autoRenew',
  billingCycle: 'activity.fact.billingCycle',
  termDuration: 'activity.fact.termDuration',
  commitmentEndDate: 'activity.fact.commitmentEndDate',
  unitPrice: 'activity.fact.unitPrice',
  nextTerm: 'activity.fact.nextTerm',
  companyName: 'activity.fact.companyName',
  domain: 'activity.fact.domain',
  country: 'activity.fact.country',
};

/** The changes to a customer or a subscription, newest first, older ones page by page, and new
 * ones live as they are made (by anyone), announced politely. `refreshKey` changes when the page
 * knows of a change just made (the subscription's version); `onLive` is told of each live entry
 * that belongs here, for the page to fetch what it changed. */
export function ActivityTimeline({
  filter,
  customerId,
  refreshKey,
  showSubscription,
  onLive,
}: {
  filter: ActivityFilter;
  /** The customer whose stream the live entries come from. */
  customerId: string;
  refreshKey?: unknown;
  showSubscription: boolean;
  onLive?: () => void;
}) {
  const { t, catalogue } = useI18n();
  const styles = useStyles();
  const [resyncs, setResyncs] = useState(0);
  const timeline = useActivityTimeline(filter, `${String(refreshKey)}/${resyncs}`);
  const [announcement, setAnnouncement] = useState('');
  useLiveActivity({
    customerId,
    enabled: timeline.loaded,
    newestId: timeline.entries[0]?.id ?? null,
    onEntry: (entry) => {
      if (!belongsTo(filter, entry)) return;
      timeline.merge([entry]);
      setAnnouncement(t('activity.live.added', { operation: catalogue.operations[entry.operation], actor: entry.actor }));
      onLive?.();
    },
    onResync: () => {
      setResyncs((count) => count + 1);
      onLive?.();
    },
  });
  const headingId = useId('activity');
  return (
    <section aria-labelledby={headingId} className={styles.section}>
      <div className={styles.heading}>
        <Title3 as="h2" id={headingId}>
          {t('activity.title')}
        </Title3>
        <LiveSign />
      </div>
      <div aria-live="polite" className={styles.visuallyHidden}>
        {announcement}
      </div>
      {timeline.error && <ErrorNotice code={timeline.error} onRetry={timeline.retry} />}
      {!timeline.loaded && !timeline.error && <Loading />}
      {timeline.loaded && timeline.entries.length === 0 && <Text>{t('activity.none')}</Text>}
      {timeline.entries.length > 0 && (
        <ol aria-label={t('activity.list')} className={styles.list}>
          {timeline.entries.map((entry) => (
            <Entry key={entry.id} entry={entry} showSubscription={showSubscription} />
          ))}
        </ol>
      )}
      {timeline.hasMore && (
        <Button onClick={timeline.loadMore} disabled={timeline.loading}>
          {t('activity.more')}
        </Button>
      )}
    </section>
  );
}

const LIVE_SIGNS: Record<Exclude<LiveStatus, 'idle'>, { message: MessageKey; color: BadgeProps['color'] }> = {
  connecting: { message: 'activity.live.connecting', color: 'informative' },
  connected: { message: 'activity.live.connected', color: 'success' },
  reconnecting: { message: 'activity.live.reconnecting', color: 'warning' },
};

/** Whether new entries arrive: connected, or (re)connecting. A polite live region: read out when it
 * changes, without taking the focus. */
function LiveSign() {
  const { t } = useI18n();
  const status = useLiveStatus();
  const sign = status === 'idle' ? null : LIVE_SIGNS[status];
  return (
    <span aria-live="polite" data-live-status={status}>
      {sign && (
        <Badge appearance="tint" color={sign.color}>
          {t(sign.message)}
        </Badge>
      )}
    </span>
  );
}

function Entry({ entry, showSubscription }: { entry: ActivityEntryFragment; showSubscription: boolean }) {
  const i18n = useI18n();
  const { t, catalogue, dateTime } = i18n;
  const styles = useStyles();
  const format: FactFormat = {
    number: i18n.number,
    dateTime: i18n.dateTime,
    day: i18n.day,
    country: i18n.country,
    status: (status) => catalogue.statuses[status],
    term: i18n.term,
    termDuration: (duration) => catalogue.termDurations[duration],
    billingCycle: (cycle) => catalogue.billingCycles[cycle],
    yesNo: (value) => t(value ? 'common.yes' : 'common.no'),
    nextTerm: (quantity, term) => t('activity.nextTerm', { quantity, term }),
    none: t('activity.noValue'),
  };
  const system = entry.actorKind === 'SYSTEM';
  return (
    <li className={styles.entry}>
      <div className={styles.head}>
        <Text weight="semibold">{catalogue.operations[entry.operation]}</Text>
        <time dateTime={entry.occurredAt} className={styles.meta}>
          {dateTime(entry.occurredAt)}
        </time>
        {system ? (
          <Badge appearance="tint" color="informative">
            {catalogue.actorKinds.SYSTEM}
          </Badge>
        ) : (
          <Text className={styles.meta}>
            {t('activity.by', { actor: entry.actor, kind: catalogue.actorKinds[entry.actorKind] })}
          </Text>
        )}
      </div>
      {/* Named, not linked: the subscriptions table above links each one already. */}
      {showSubscription && entry.subscription && <Text>{entry.subscription.friendlyName}</Text>}
      <ul className={styles.changes}>
        {factChanges(entry.before, entry.after).map((change) => {
          const labelKey = FACT_LABELS[change.key];
          const label = labelKey ? t(labelKey) : change.key;
          const after = formatFact(change.key, change.after, format);
          return (
            <li key={change.key}>
              {change.hasBefore
                ? t('activity.change', { fact: label, before: formatFact(change.key, change.before, format), after })
                : t('activity.value', { fact: label, value: after })}
            </li>
          );
        })}
      </ul>
    </li>
  );
}
