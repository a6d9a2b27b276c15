import { Badge, type BadgeProps } from '@fluentui/react-components';
import type { SubscriptionStatus } from '../api/generated';
import { useI18n } from '../i18n/I18nProvider';

const COLORS: Record<SubscriptionStatus, BadgeProps['color']> = {
  ACTIVE: 'success',
  SUSPENDED: 'warning',
  CANCELLED: 'informative',
  EXPIRED: 'informative',
  DISABLED: 'warning',
  DELETED: 'informative',
};

export function StatusBadge({ status }: { status: SubscriptionStatus }) {
  const { catalogue } = useI18n();
  return (
    <Badge appearance="tint" color={COLORS[status]}>
      {catalogue.statuses[status]}
    </Badge>
  );
}
