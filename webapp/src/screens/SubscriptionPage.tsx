import { Text, makeStyles, tokens } from '@fluentui/react-components';
import { useQuery } from 'urql';
import { requestErrorCode } from '../api/errors';
import { SubscriptionPageDocument, type SubscriptionDetailsFragment } from '../api/generated';
import { ActivityTimeline } from '../components/ActivityTimeline';
import { ErrorNotice } from '../components/ErrorNotice';
import { Facts } from '../components/Facts';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { RouterLink } from '../components/RouterLink';
import { StatusBadge } from '../components/StatusBadge';
import { useI18n } from '../i18n/I18nProvider';
import { customerPath, customersPath, subscriptionPath } from '../routes';
import { ChangeCount } from './ChangeCount';
import { ChangeStatus } from './ChangeStatus';

const useStyles = makeStyles({
  trail: { display: 'flex', gap: tokens.spacingHorizontalS },
  sections: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXXXL, alignItems: 'flex-start' },
  batches: { margin: 0, padding: 0, listStyleType: 'none' },
});

/** One subscription: what it is, changing its count and its status, and its activity. Further
 * sections go beside those, in the same wrapping row. */
export function SubscriptionPage({ subscriptionId }: { subscriptionId: string }) {
  const { t } = useI18n();
  const styles = useStyles();
  const [{ data, error }, reexecute] = useQuery({ query: SubscriptionPageDocument, variables: { id: subscriptionId } });
  const reload = () => reexecute({ requestPolicy: 'network-only' });

  if (error) return <ErrorNotice code={requestErrorCode(error)} onRetry={reload} />;
  if (!data) return <Loading />;
  const subscription = data.node?.__typename === 'CustomerSubscription' ? data.node : null;
  if (!subscription) {
    return (
      <>
        <PageHeading>{t('subscriptions.name')}</PageHeading>
        <Text>{t('subscription.notFound')}</Text>
        <RouterLink href={customersPath}>{t('notFound.back')}</RouterLink>
      </>
    );
  }
  return (
    <>
      <nav aria-label={t('nav.label')} className={styles.trail}>
        <RouterLink href={customersPath}>{t('nav.customers')}</RouterLink>
        <span aria-hidden="true">›</span>
        <RouterLink href={customerPath(subscription.customer.id)}>{subscription.customer.companyName}</RouterLink>
      </nav>
      <PageHeading>{subscription.friendlyName}</PageHeading>
      <Details subscription={subscription} />
      <div className={styles.sections}>
        <ChangeCount subscription={subscription} onConflict={reload} />
        <ChangeStatus subscription={subscription} onConflict={reload} />
        {/* A new version is a change just made here (its entry is fetched); a change made elsewhere
            comes live, and the subscription is fetched again for its count, status and actions. */}
        <ActivityTimeline
          filter={{ subscriptionId: subscription.id }}
          customerId={subscription.customer.id}
          refreshKey={subscription.version}
          showSubscription={false}
          onLive={reload}
        />
      </div>
    </>
  );
}

function Details({ subscription: s }: { subscription: SubscriptionDetailsFragment }) {
  const { t, catalogue, number, dateTime, date, day, money, term } = useI18n();
  return (
    <Facts
      items={[
        [t('subscription.customer'), s.customer.companyName],
        [t('subscription.offer'), `${s.offer.name} (${s.offer.sku})`],
        [t('subscription.status'), <StatusBadge status={s.status} />],
        [t('subscription.quantity'), number(s.quantity)],
        [t('subscription.term'), term(s.termDuration, s.billingCycle)],
        [t('subscription.unitPrice'), money(s.unitPrice)],
        [t('subscription.commitmentEndDate'), day(s.commitmentEndDate)],
        [t('subscription.cancellableUntil'), s.cancellationAllowedUntil && dateTime(s.cancellationAllowedUntil)],
        [t('subscription.refundable'), <Refundable subscription={s} />],
        [t('subscription.autoRenew'), s.autoRenew ? t('common.yes') : t('common.no')],
        [t('subscription.channel'), catalogue.channels[s.channel]],
        [
          t('subscription.parent'),
          s.parentSubscription && (
            <RouterLink href={subscriptionPath(s.parentSubscription.id)}>{s.parentSubscription.friendlyName}</RouterLink>
          ),
        ],
        [t('subscription.createdAt'), dateTime(s.createdAt)],
        [t('subscription.updatedAt'), dateTime(s.updatedAt)],
        [t('subscription.suspendedAt'), s.suspendedAt && dateTime(s.suspendedAt)],
        [t('subscription.dataRetentionEndsAt'), s.dataRetentionEndsAt && date(s.dataRetentionEndsAt)],
      ]}
    />
  );
}

/** The seats that may still be removed, batch by batch, each with the end of its window. */
function Refundable({ subscription }: { subscription: SubscriptionDetailsFragment }) {
  const { t, dateTime } = useI18n();
  const styles = useStyles();
  const { details } = subscription.refundableQuantity;
  if (details.length === 0) return t('subscription.refundableNone');
  return (
    <ul aria-label={t('subscription.refundable')} className={styles.batches}>
      {details.map((batch) => (
        <li key={batch.allowedUntil}>{t('subscription.refundableBatch', { count: batch.quantity, until: dateTime(batch.allowedUntil) })}</li>
      ))}
    </ul>
  );
}
