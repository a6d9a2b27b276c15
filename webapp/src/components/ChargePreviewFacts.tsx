import type { PreviewFragment } from '../api/generated';
import { useI18n } from '../i18n/I18nProvider';
import { Facts } from './Facts';

/** What a change or an order will be charged or refunded, as the server previewed it
 * (validateOnly): for a confirmation box, before the reader says yes. */
export function ChargePreviewFacts({ preview }: { preview: PreviewFragment }) {
  const { t, money, term, day, dateTime } = useI18n();
  const refund = preview.amount.amount.startsWith('-');
  // A refund is said as one, so its amount is shown without the sign.
  const amount = refund ? { ...preview.amount, amount: preview.amount.amount.slice(1) } : preview.amount;
  return (
    <Facts
      items={[
        [t(refund ? 'preview.refund' : 'preview.charge'), money(amount)],
        [t('preview.unitPrice'), money(preview.unitPrice)],
        [t('preview.term'), term(preview.termDuration, preview.billingCycle)],
        [t('preview.commitmentEndDate'), day(preview.commitmentEndDate)],
        [t('preview.cancellableUntil'), preview.cancellationAllowedUntil && dateTime(preview.cancellationAllowedUntil)],
      ]}
    />
  );
}
