import { Caption1, Field, Radio, RadioGroup, Text, Title3 } from '@fluentui/react-components';
import { useEffect, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { changeStatus, subscriptionAction, type Availability } from '../actions/availability';
import { ChangeStatusDocument, type PreviewFragment, type SubscriptionDetailsFragment } from '../api/generated';
import { ActionButton } from '../components/ActionButton';
import { ConfirmationBox } from '../components/ConfirmationBox';
import { Facts } from '../components/Facts';
import { FormErrors } from '../components/FormErrors';
import { Notice } from '../components/Notice';
import { usePreviewFacts } from '../components/previewFacts';
import type { MessageKey } from '../i18n/catalogue';
import { useI18n } from '../i18n/I18nProvider';
import { useSectionStyles } from './sectionStyles';
import { useChangeOutcome } from './useChangeOutcome';

type Choice = 'ACTIVE' | 'SUSPENDED' | 'CANCELLED';

const DONE: Record<Choice, MessageKey> = {
  ACTIVE: 'changeStatus.doneActive',
  SUSPENDED: 'changeStatus.doneSuspended',
  CANCELLED: 'changeStatus.doneCancelled',
};

/** "Status ändern": Aktiv, Sperren or Kündigen, then Speichern. Suspending and reactivating can be
 * undone and go at once; cancelling is final, so it is checked first (validateOnly) and confirmed
 * in a box that shows the refund. */
export function ChangeStatus({ subscription, onConflict }: { subscription: SubscriptionDetailsFragment; onConflict: () => void }) {
  const { t, catalogue, dateTime } = useI18n();
  const styles = useSectionStyles();
  const availability = changeStatus(subscription);
  const current: Choice | null = subscription.status === 'ACTIVE' || subscription.status === 'SUSPENDED' ? subscription.status : null;
  const options: [Choice, Availability][] = [
    ['ACTIVE', subscriptionAction(subscription, 'REACTIVATE')],
    ['SUSPENDED', subscriptionAction(subscription, 'SUSPEND')],
    ['CANCELLED', subscriptionAction(subscription, 'CANCEL')],
  ];
  const [choice, setChoice] = useState<Choice | null>(current);
  const [preview, setPreview] = useState<PreviewFragment | null>(null);
  const [done, setDone] = useState<Choice | null>(null);
  const outcome = useChangeOutcome(['status'] as const, onConflict);
  const [{ fetching }, send] = useMutation(ChangeStatusDocument);
  const previewFacts = usePreviewFacts(preview);
  useEffect(() => setChoice(current), [current]);

  const change = async (status: Choice, validateOnly: boolean) => {
    const input = { subscriptionId: subscription.id, status, expectedVersion: subscription.version, validateOnly };
    const result = await send({ input });
    const payload = result.data?.changeStatus;
    return { ok: outcome.settle(result.error, payload?.userErrors), preview: payload?.preview ?? null };
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    if (choice === null) return;
    if (choice === 'CANCELLED') {
      const checked = await change(choice, true);
      if (checked.ok && checked.preview) setPreview(checked.preview);
      return;
    }
    if ((await change(choice, false)).ok) setDone(choice);
  };
  const cancel = async () => {
    const result = await change('CANCELLED', false);
    setPreview(null);
    if (result.ok) setDone('CANCELLED');
  };

  const label: Record<Choice, string> = {
    ACTIVE: t('changeStatus.active'),
    SUSPENDED: t('changeStatus.suspend'),
    CANCELLED: t('changeStatus.cancel'),
  };
  const statusError = outcome.errors.byField.status;
  return (
    <section aria-labelledby="change-status" className={styles.section}>
      <Title3 as="h2" id="change-status">
        {t('changeStatus.title')}
      </Title3>
      <form onSubmit={(event) => void save(event)} className={styles.section}>
        <Field label={t('changeStatus.label')} validationMessage={statusError && catalogue.errors[statusError]}>
          <RadioGroup value={choice ?? ''} onChange={(_, data) => setChoice(data.value as Choice)}>
            {options.map(([value, option]) => (
              <Radio
                key={value}
                value={value}
                // A radio's own `disabled` overrides its group's, so each decides for itself.
                disabled={!availability.enabled || (value !== current && !option.enabled)}
                label={
                  // A closed option says why, unless the whole group is closed and its button says it.
                  value !== current && !option.enabled && availability.enabled ? (
                    <>
                      {label[value]}
                      <br />
                      <Caption1>{catalogue.reasons[option.reason]}</Caption1>
                    </>
                  ) : (
                    label[value]
                  )
                }
              />
            ))}
          </RadioGroup>
        </Field>
        {choice === 'SUSPENDED' && current === 'ACTIVE' && <Text>{t('changeStatus.suspendNote')}</Text>}
        {choice === 'CANCELLED' && subscription.cancellationAllowedUntil && (
          <Text>{t('changeStatus.cancelNote', { until: dateTime(subscription.cancellationAllowedUntil) })}</Text>
        )}
        <ActionButton type="submit" availability={availability} disabled={choice === current || fetching}>
          {t('changeStatus.save')}
        </ActionButton>
      </form>
      <FormErrors codes={outcome.errors.other} />
      {done && <Notice>{t(DONE[done])}</Notice>}
      <ConfirmationBox
        open={preview !== null}
        title={t('changeStatus.confirmCancelTitle')}
        confirmLabel={t('changeStatus.confirmCancel')}
        onConfirm={() => void cancel()}
        cancelLabel={t('changeStatus.keep')}
        onCancel={() => setPreview(null)}
        busy={fetching}
      >
        {preview && (
          <>
            <Text as="p">{t('changeStatus.confirmCancelText', { name: subscription.friendlyName })}</Text>
            <Facts items={previewFacts} />
          </>
        )}
      </ConfirmationBox>
    </section>
  );
}
