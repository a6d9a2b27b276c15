import { Field, Input, Title3 } from '@fluentui/react-components';
import { useEffect, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { subscriptionAction } from '../actions/availability';
import { ChangeQuantityDocument, type SubscriptionDetailsFragment } from '../api/generated';
import { ActionButton } from '../components/ActionButton';
import { ConfirmationBox } from '../components/ConfirmationBox';
import { FormErrors } from '../components/FormErrors';
import { Notice } from '../components/Notice';
import type { ErrorCode } from '../i18n/codes';
import { useI18n } from '../i18n/I18nProvider';
import { useViewer } from '../viewer/ViewerProvider';
import { useSectionStyles } from './sectionStyles';
import { parseCount, useChangeOutcome } from './useChangeOutcome';

/** What the offer allows, checked before the confirmation box opens. API version 2 asks the server
 * instead (changeQuantity with validateOnly), and the box shows its charge preview. */
function reviewCount(typed: string, subscription: SubscriptionDetailsFragment): number | ErrorCode {
  const count = parseCount(typed);
  if (count === null) return 'INVALID_INPUT';
  if (count === subscription.quantity) return 'QUANTITY_UNCHANGED';
  const { minQuantity, maxQuantity } = subscription.offer;
  return count < minQuantity || count > maxQuantity ? 'QUANTITY_OUT_OF_RANGE' : count;
}

/** "Anzahl ändern": a new number of licences, confirmed in a box, sent with the version it was
 * decided on, so that a change made meanwhile by someone else is not overwritten. */
export function ChangeCount({ subscription, onConflict }: { subscription: SubscriptionDetailsFragment; onConflict: () => void }) {
  const { t, catalogue } = useI18n();
  const styles = useSectionStyles();
  const availability = subscriptionAction(subscription, useViewer(), 'CHANGE_QUANTITY');
  const [typed, setTyped] = useState(String(subscription.quantity));
  const [reviewed, setReviewed] = useState<number | null>(null);
  const [done, setDone] = useState<number | null>(null);
  const outcome = useChangeOutcome(['quantity'] as const, onConflict);
  const [{ fetching }, changeQuantity] = useMutation(ChangeQuantityDocument);
  useEffect(() => setTyped(String(subscription.quantity)), [subscription.quantity]);

  const review = (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    const count = reviewCount(typed, subscription);
    if (typeof count === 'number') {
      outcome.clear();
      setReviewed(count);
    } else {
      outcome.fail('quantity', count);
    }
  };
  const confirm = async (quantity: number) => {
    const input = { subscriptionId: subscription.id, quantity, expectedVersion: subscription.version };
    const result = await changeQuantity({ input });
    setReviewed(null);
    const payload = result.data?.changeQuantity;
    if (outcome.settle(result.error, payload?.userErrors) && payload?.subscription) setDone(payload.subscription.quantity);
  };

  const quantityError = outcome.errors.byField.quantity;
  return (
    <section aria-labelledby="change-count" className={styles.section}>
      <Title3 as="h2" id="change-count">
        {t('changeCount.title')}
      </Title3>
      <form onSubmit={review} noValidate className={styles.section}>
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
        <ActionButton type="submit" availability={availability}>
          {t('common.submit')}
        </ActionButton>
      </form>
      <FormErrors codes={outcome.errors.other} />
      {done !== null && <Notice>{t('changeCount.done', { count: done })}</Notice>}
      <ConfirmationBox
          open={reviewed !== null}
          title={t('changeCount.confirmTitle')}
          confirmLabel={t('changeCount.confirm')}
          onConfirm={() => reviewed !== null && void confirm(reviewed)}
          cancelLabel={t('common.cancel')}
          onCancel={() => setReviewed(null)}
          busy={fetching}
        >
          {reviewed !== null &&
            t('changeCount.confirmText', { name: subscription.friendlyName, from: subscription.quantity, to: reviewed })}
        </ConfirmationBox>
    </section>
  );
}
