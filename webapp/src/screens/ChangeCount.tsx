import { Field, Input, Text, Title3 } from '@fluentui/react-components';
import { useEffect, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { changeCount } from '../actions/availability';
import { ChangeQuantityDocument, type PreviewFragment, type SubscriptionDetailsFragment } from '../api/generated';
import { ActionButton } from '../components/ActionButton';
import { ConfirmationBox } from '../components/ConfirmationBox';
import { Facts } from '../components/Facts';
import { FormErrors } from '../components/FormErrors';
import { Notice } from '../components/Notice';
import { usePreviewFacts } from '../components/previewFacts';
import { useI18n } from '../i18n/I18nProvider';
import { useSectionStyles } from './sectionStyles';
import { parseCount, useChangeOutcome } from './useChangeOutcome';

interface Reviewed {
  quantity: number;
  preview: PreviewFragment | null;
}

/** "Anzahl ändern": a new number of licences, checked by the server (validateOnly), confirmed in a
 * box that shows its charge or refund, and sent with the version it was decided on, so that a
 * change made meanwhile by someone else is not overwritten. */
export function ChangeCount({ subscription, onConflict }: { subscription: SubscriptionDetailsFragment; onConflict: () => void }) {
  const { t, catalogue, dateTime } = useI18n();
  const styles = useSectionStyles();
  const availability = changeCount(subscription);
  const [typed, setTyped] = useState(String(subscription.quantity));
  const [reviewed, setReviewed] = useState<Reviewed | null>(null);
  const [done, setDone] = useState<number | null>(null);
  const outcome = useChangeOutcome(['quantity'] as const, onConflict);
  const [{ fetching }, changeQuantity] = useMutation(ChangeQuantityDocument);
  const previewFacts = usePreviewFacts(reviewed?.preview ?? null);
  useEffect(() => setTyped(String(subscription.quantity)), [subscription.quantity]);

  const input = (quantity: number, validateOnly: boolean) => ({
    subscriptionId: subscription.id,
    quantity,
    expectedVersion: subscription.version,
    validateOnly,
  });
  const review = async (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    const quantity = parseCount(typed);
    if (quantity === null) return outcome.fail('quantity', 'INVALID_INPUT');
    const checked = await changeQuantity({ input: input(quantity, true) });
    const payload = checked.data?.changeQuantity;
    if (outcome.settle(checked.error, payload?.userErrors)) setReviewed({ quantity, preview: payload?.preview ?? null });
  };
  const confirm = async (quantity: number) => {
    const result = await changeQuantity({ input: input(quantity, false) });
    setReviewed(null);
    const payload = result.data?.changeQuantity;
    if (outcome.settle(result.error, payload?.userErrors) && payload?.subscription) setDone(payload.subscription.quantity);
  };

  const { totalQuantity, details } = subscription.refundableQuantity;
  const firstWindow = details[0];
  const quantityError = outcome.errors.byField.quantity;
  return (
    <section aria-labelledby="change-count" className={styles.section}>
      <Title3 as="h2" id="change-count">
        {t('changeCount.title')}
      </Title3>
      <form onSubmit={(event) => void review(event)} noValidate className={styles.section}>
        <Field
          label={t('common.licenceCount')}
          hint={t('common.licenceRange', { min: subscription.offer.minQuantity, max: subscription.offer.maxQuantity })}
          validationMessage={quantityError && catalogue.errors[quantityError]}
        >
          <Input
            type="number"
            inputMode="numeric"
            min={subscription.offer.minQuantity}
            max={subscription.offer.maxQuantity}
            value={typed}
            onChange={(_, data) => setTyped(data.value)}
            disabled={!availability.enabled}
          />
        </Field>
        {availability.enabled && (
          <Text>
            {totalQuantity > 0 && firstWindow
              ? t('changeCount.removable', { count: totalQuantity, until: dateTime(firstWindow.allowedUntil) })
              : t('changeCount.removableNone')}
          </Text>
        )}
        <ActionButton type="submit" availability={availability} disabled={fetching}>
          {t('common.submit')}
        </ActionButton>
      </form>
      <FormErrors codes={outcome.errors.other} />
      {done !== null && <Notice>{t('changeCount.done', { count: done })}</Notice>}
      <ConfirmationBox
        open={reviewed !== null}
        title={t('changeCount.confirmTitle')}
        confirmLabel={t('changeCount.confirm')}
        onConfirm={() => reviewed !== null && void confirm(reviewed.quantity)}
        cancelLabel={t('common.cancel')}
        onCancel={() => setReviewed(null)}
        busy={fetching}
      >
        {reviewed !== null && (
          <>
            <Text as="p">
              {t('changeCount.confirmText', { name: subscription.friendlyName, from: subscription.quantity, to: reviewed.quantity })}
            </Text>
            <Facts items={previewFacts} />
            {reviewed.quantity > subscription.quantity ? (
              <Text as="p">{t('changeCount.addedWindow')}</Text>
            ) : (
              firstWindow && (
                <Text as="p">{t('changeCount.removable', { count: totalQuantity, until: dateTime(firstWindow.allowedUntil) })}</Text>
              )
            )}
          </>
        )}
      </ConfirmationBox>
    </section>
  );
}
