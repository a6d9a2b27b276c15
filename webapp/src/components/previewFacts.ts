import type { ReactNode } from 'react';
import type { PreviewFragment } from '../api/generated';
import { useI18n } from '../i18n/I18nProvider';

/** What a change or an order will be charged or refunded, as the server previewed it
 * (validateOnly), as label and value pairs: a confirmation box lists them with its own facts, in
 * one list, before the reader says yes. */
export function usePreviewFacts(preview: PreviewFragment | null): [string, ReactNode][] {
  const { t, money, term, day, dateTime } = useI18n();
  if (preview === null) return [];
  const refund = preview.amount.amount.startsWith('-');
  // A refund is said as one, so its amount is shown without the sign.
  const amount = refund ? { ...preview.amount, amount: preview.amount.amount.slice(1) } : preview.amount;
  return [
    [t(refund ? 'preview.refund' : 'preview.charge'), money(amount)],
    [t('preview.unitPrice'), money(preview.unitPrice)],
    [t('preview.term'), term(preview.termDuration, preview.billingCycle)],
    [t('preview.commitmentEndDate'), day(preview.commitmentEndDate)],
    [t('preview.cancellableUntil'), preview.cancellationAllowedUntil && dateTime(preview.cancellationAllowedUntil)],
  ];
}
