import { Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { useQuery } from 'urql';
import { useLocation } from 'wouter';
import { addSubscription } from '../actions/availability';
import { requestErrorCode } from '../api/errors';
import { CustomerSubscriptionsDocument, type CustomerSubscriptionsQuery } from '../api/generated';
import { ActionButton } from '../components/ActionButton';
import { ActivityTimeline } from '../components/ActivityTimeline';
import { DataTable, type Column } from '../components/DataTable';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { RouterLink } from '../components/RouterLink';
import { StatusBadge } from '../components/StatusBadge';
import { useI18n } from '../i18n/I18nProvider';
import { addSubscriptionPath, customersPath, subscriptionPath } from '../routes';
import { useViewer } from '../viewer/ViewerProvider';

type Customer = NonNullable<CustomerSubscriptionsQuery['customer']>;
type Subscription = Customer['subscriptions']['nodes'][number];

const useStyles = makeStyles({
  facts: { color: tokens.colorNeutralForeground2 },
});

/** The action pane of one customer: its subscriptions, buying a new one (further actions on the
 * customer go beside that button), and the activity of the customer and its subscriptions. */
export function CustomerSubscriptions({ customerId }: { customerId: string }) {
  const { t, catalogue, number, country, term } = useI18n();
  const styles = useStyles();
  const viewer = useViewer();
  const [, navigate] = useLocation();
  const [{ data, error }, reexecute] = useQuery({ query: CustomerSubscriptionsDocument, variables: { customerId } });

  if (error) return <ErrorNotice code={requestErrorCode(error)} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />;
  if (!data) return <Loading />;
  const customer = data.customer;
  if (!customer) return <NotVisible />;

  const columns: Column<Subscription>[] = [
    { header: t('subscriptions.name'), cell: (s) => <RouterLink href={subscriptionPath(s.id)}>{s.friendlyName}</RouterLink> },
    { header: t('subscriptions.offer'), cell: (s) => s.offer.name },
    { header: t('subscriptions.quantity'), cell: (s) => number(s.quantity) },
    { header: t('subscriptions.status'), cell: (s) => <StatusBadge status={s.status} /> },
    { header: t('subscriptions.term'), cell: (s) => term(s.termDuration, s.billingCycle) },
    { header: t('subscriptions.channel'), cell: (s) => catalogue.channels[s.channel] },
    {
      header: t('subscriptions.changes'),
      cell: (s) => (s.notManageableReason === null ? t('subscriptions.changesAllowed') : catalogue.reasons[s.notManageableReason]),
    },
  ];
  const { nodes, totalCount } = customer.subscriptions;
  return (
    <>
      <RouterLink href={customersPath}>{t('nav.customers')}</RouterLink>
      <PageHeading>{customer.companyName}</PageHeading>
      <Text className={styles.facts}>
        {customer.domain} · {country(customer.country)}
      </Text>
      <ActionButton
        availability={addSubscription(viewer)}
        appearance="primary"
        onClick={() => navigate(addSubscriptionPath(customer.id))}
      >
        {t('subscriptions.add')}
      </ActionButton>
      <Title3 as="h2">{t('subscriptions.title')}</Title3>
      {nodes.length > 0 ? (
        <DataTable label={t('subscriptions.table', { company: customer.companyName })} columns={columns} rows={nodes} />
      ) : (
        <Text>{t('subscriptions.none')}</Text>
      )}
      {nodes.length < totalCount && <Text>{t('subscriptions.partial', { shown: nodes.length, total: totalCount })}</Text>}
      {/* A change made elsewhere, seen live: the list shows its new count, status and term. */}
      <ActivityTimeline
        filter={{ customerId: customer.id }}
        customerId={customer.id}
        showSubscription
        onLive={() => reexecute({ requestPolicy: 'network-only' })}
      />
    </>
  );
}

function NotVisible() {
  const { t } = useI18n();
  return (
    <>
      <PageHeading>{t('subscriptions.title')}</PageHeading>
      <Text>{t('customer.notFound')}</Text>
      <RouterLink href={customersPath}>{t('notFound.back')}</RouterLink>
    </>
  );
}
