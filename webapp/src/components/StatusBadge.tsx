import { Badge } from '@fluentui/react-components';
import type { SubscriptionStatus } from '../api/generated';
import { useI18n } from '../i18n/I18nProvider';

const COLORS = { ACTIVE: 'success', SUSPENDED: 'warning', DELETED: 'informative' } as const;

export function StatusBadge({ status }: { status: SubscriptionStatus }) {
  const { catalogue } = useI18n();
  return (
    <Badge appearance="tint" color={COLORS[status]}>
      {catalogue.statuses[status]}
    </Badge>
  );
}
