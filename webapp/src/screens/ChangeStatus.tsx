import { Field, Radio, RadioGroup, Text, Title3 } from '@fluentui/react-components';
import { useEffect, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { statusChange, subscriptionAction } from '../actions/availability';
import { ChangeStatusDocument, type SubscriptionDetailsFragment } from '../api/generated';
import { ActionButton } from '../components/ActionButton';
import { FormErrors } from '../components/FormErrors';
import { Notice } from '../components/Notice';
import { useI18n } from '../i18n/I18nProvider';
import { useViewer } from '../viewer/ViewerProvider';
import { useSectionStyles } from './sectionStyles';
import { useChangeOutcome } from './useChangeOutcome';

type Choice = 'ACTIVE' | 'SUSPENDED';

/** "Status ändern": Sperren or Aktiv, then Speichern. */
export function ChangeStatus({ subscription, onConflict }: { subscription: SubscriptionDetailsFragment; onConflict: () => void }) {
  const { t, catalogue } = useI18n();
  const styles = useSectionStyles();
  const availability = subscriptionAction(subscription, useViewer(), statusChange(subscription));
  const current: Choice = subscription.status === 'SUSPENDED' ? 'SUSPENDED' : 'ACTIVE';
  const [choice, setChoice] = useState<Choice>(current);
  const [done, setDone] = useState<Choice | null>(null);
  const outcome = useChangeOutcome(['status'] as const, onConflict);
  const [{ fetching }, changeStatus] = useMutation(ChangeStatusDocument);
  useEffect(() => setChoice(current), [current]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    const input = { subscriptionId: subscription.id, status: choice, expectedVersion: subscription.version };
    const result = await changeStatus({ input });
    if (outcome.settle(result.error, result.data?.changeStatus.userErrors)) setDone(choice);
  };

  const statusError = outcome.errors.byField.status;
  return (
    <section aria-labelledby="change-status" className={styles.section}>
      <Title3 as="h2" id="change-status">
        {t('changeStatus.title')}
      </Title3>
      <form onSubmit={(event) => void save(event)} className={styles.section}>
        <Field label={t('changeStatus.label')} validationMessage={statusError && catalogue.errors[statusError]}>
          <RadioGroup value={choice} onChange={(_, data) => setChoice(data.value as Choice)} disabled={!availability.enabled}>
            <Radio value="ACTIVE" label={t('changeStatus.active')} />
            <Radio value="SUSPENDED" label={t('changeStatus.suspend')} />
          </RadioGroup>
        </Field>
        {choice === 'SUSPENDED' && current === 'ACTIVE' && <Text>{t('changeStatus.suspendNote')}</Text>}
        <ActionButton type="submit" availability={availability} disabled={choice === current || fetching}>
          {t('changeStatus.save')}
        </ActionButton>
      </form>
      <FormErrors codes={outcome.errors.other} />
      {done && <Notice>{t(done === 'SUSPENDED' ? 'changeStatus.doneSuspended' : 'changeStatus.doneActive')}</Notice>}
    </section>
  );
}
