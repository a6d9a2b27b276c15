import { Caption1, Field, Input, Radio, RadioGroup, Select, Text } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { useLocation } from 'wouter';
import { addSubscription } from '../actions/availability';
import { newIdempotencyKey, requestErrorCode } from '../api/errors';
import {
  AddSubscriptionDocument,
  AddSubscriptionOffersDocument,
  type AddSubscriptionInput,
  type AddSubscriptionOffersQuery,
  type PreviewFragment,
} from '../api/generated';
import { ActionButton } from '../components/ActionButton';
import { ConfirmationBox } from '../components/ConfirmationBox';
import { ErrorNotice } from '../components/ErrorNotice';
import { Facts } from '../components/Facts';
import { FormErrors } from '../components/FormErrors';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { usePreviewFacts } from '../components/previewFacts';
import { RouterLink } from '../components/RouterLink';
import { formatAlternatives } from '../i18n/format';
import type { ErrorCode } from '../i18n/codes';
import { useI18n } from '../i18n/I18nProvider';
import { customerPath } from '../routes';
import { useViewer } from '../viewer/ViewerProvider';
import { useSectionStyles } from './sectionStyles';
import { parseCount, useChangeOutcome } from './useChangeOutcome';

type Customer = NonNullable<AddSubscriptionOffersQuery['customer']>;
type Offer = AddSubscriptionOffersQuery['offers']['nodes'][number];
type Term = Offer['terms'][number];
type Order = Omit<AddSubscriptionInput, 'validateOnly' | 'idempotencyKey'>;
type Step =
  | { kind: 'form' }
  | { kind: 'review'; order: Order; idempotencyKey: string; preview: PreviewFragment | null }
  | { kind: 'done'; name: string; quantity: number }
  | { kind: 'finished' };

// The fields an error is shown beside; any other (idempotencyKey, customerId) goes under the form.
const FIELDS = ['offerId', 'quantity', 'billingCycle', 'termDuration', 'parentSubscriptionId'] as const;

/** A term's value in the form's select: its length and its billing cycle, which together name it. */
const termKey = (term: Pick<Term, 'termDuration' | 'billingCycle'>) => `${term.termDuration}/${term.billingCycle}`;

/** "Neues Abonnement hinzufügen": an offer the partner may sell, a term and its price, a number of
 * licences, Absenden; the server checks the order (validateOnly) and prices it before the
 * confirmation box shows it; Fertig. */
export function AddSubscription({ customerId }: { customerId: string }) {
  const { t } = useI18n();
  const [{ data, error }, reexecute] = useQuery({ query: AddSubscriptionOffersDocument, variables: { customerId } });
  if (error) return <ErrorNotice code={requestErrorCode(error)} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />;
  if (!data) return <Loading />;
  if (!data.customer) {
    return (
      <>
        <PageHeading>{t('add.title')}</PageHeading>
        <Text>{t('customer.notFound')}</Text>
      </>
    );
  }
  return <OrderForm customer={data.customer} offers={data.offers.nodes} />;
}

function OrderForm({ customer, offers }: { customer: Customer; offers: readonly Offer[] }) {
  const { t, catalogue, language, money, term: termText } = useI18n();
  const styles = useSectionStyles();
  const [, navigate] = useLocation();
  const availability = addSubscription(useViewer());
  const [offerId, setOfferId] = useState('');
  const [typedQuantity, setTypedQuantity] = useState('1');
  const [chosenTerm, setChosenTerm] = useState('');
  const [step, setStep] = useState<Step>({ kind: 'form' });
  const [offerMissing, setOfferMissing] = useState(false);
  const outcome = useChangeOutcome(FIELDS);
  const [{ fetching }, add] = useMutation(AddSubscriptionDocument);
  const offer = offers.find((o) => o.id === offerId);
  const term = offer?.terms.find((o) => termKey(o) === chosenTerm);

  const chooseOffer = (id: string) => {
    setOfferId(id);
    setOfferMissing(false);
    const first = offers.find((o) => o.id === id)?.terms[0];
    setChosenTerm(first ? termKey(first) : '');
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setOfferMissing(!offer);
    const quantity = parseCount(typedQuantity);
    if (quantity === null) return outcome.fail('quantity', 'INVALID_INPUT');
    if (!offer) return outcome.clear();
    const order: Order = {
      customerId: customer.id,
      offerId: offer.id,
      quantity,
      termDuration: term?.termDuration ?? null,
      billingCycle: term?.billingCycle ?? null,
    };
    const checked = await add({ input: { ...order, validateOnly: true } });
    const payload = checked.data?.addSubscription;
    if (outcome.settle(checked.error, payload?.userErrors)) {
      setStep({ kind: 'review', order, idempotencyKey: newIdempotencyKey(), preview: payload?.preview ?? null });
    }
  };
  const buy = async (order: Order, idempotencyKey: string) => {
    // The same key on a retry: if the first attempt did go through, the server answers with it again.
    const result = await add({ input: { ...order, idempotencyKey, validateOnly: false } });
    const payload = result.data?.addSubscription;
    if (outcome.settle(result.error, payload?.userErrors) && payload?.subscription) {
      setStep({ kind: 'done', name: payload.subscription.friendlyName, quantity: payload.subscription.quantity });
    } else if (!result.error) {
      setStep({ kind: 'form' }); // refused: back to the form, the reasons beside their fields
    }
  };

  const { byField } = outcome.errors;
  const offerError = byField.offerId ?? byField.parentSubscriptionId;
  const quantityError = byField.quantity;
  const termError = byField.termDuration ?? byField.billingCycle;
  return (
    <>
      <RouterLink href={customerPath(customer.id)}>{t('add.back')}</RouterLink>
      <PageHeading>{t('add.title')}</PageHeading>
      <Text>{t('add.forCustomer', { company: customer.companyName })}</Text>
      <form onSubmit={(event) => void submit(event)} noValidate className={styles.section}>
        <Field
          label={t('add.offer')}
          required
          validationMessage={offerMissing ? t('add.offerRequired') : offerError && catalogue.errors[offerError]}
        >
          {offers.length === 0 ? (
            <Text>{t('add.noOffers')}</Text>
          ) : (
            <RadioGroup value={offerId} onChange={(_, data) => chooseOffer(data.value)} disabled={!availability.enabled}>
              {offers.map((o) => (
                <Radio
                  key={o.id}
                  value={o.id}
                  label={
                    <>
                      {o.name}
                      <br />
                      <Caption1>
                        {t('add.offerRange', { min: o.minQuantity, max: o.maxQuantity })}
                        {o.isAddOn &&
                          ` · ${t('add.addOnOf', { offers: formatAlternatives(o.prerequisiteOffers.map((p) => p.name), language) })}`}
                      </Caption1>
                    </>
                  }
                />
              ))}
            </RadioGroup>
          )}
        </Field>
        <Field
          label={t('common.licenceCount')}
          required
          hint={offer && t('common.licenceRange', { min: offer.minQuantity, max: offer.maxQuantity })}
          validationMessage={quantityError && catalogue.errors[quantityError]}
        >
          <Input
            type="number"
            inputMode="numeric"
            min={offer?.minQuantity ?? 1}
            max={offer?.maxQuantity}
            value={typedQuantity}
            onChange={(_, data) => setTypedQuantity(data.value)}
            disabled={!availability.enabled}
          />
        </Field>
        <Field label={t('add.term')} validationMessage={termError && catalogue.errors[termError]}>
          <Select value={chosenTerm} onChange={(_, data) => setChosenTerm(data.value)} disabled={!availability.enabled || !offer}>
            {(offer?.terms ?? []).map((o) => (
              <option key={termKey(o)} value={termKey(o)}>
                {t('add.termOption', { term: termText(o.termDuration, o.billingCycle), price: money(o.unitPrice) })}
              </option>
            ))}
          </Select>
        </Field>
        <ActionButton type="submit" appearance="primary" availability={availability} disabled={fetching}>
          {t('common.submit')}
        </ActionButton>
      </form>
      {step.kind === 'form' && <FormErrors codes={outcome.errors.other} />}
      <OrderBox step={step} customer={customer} offer={offer} busy={fetching} errors={outcome.errors.other}
        onBuy={(order, key) => void buy(order, key)}
        onCancel={() => setStep({ kind: 'form' })}
        onDone={() => setStep({ kind: 'finished' })}
        onClosed={() => step.kind === 'finished' && navigate(customerPath(customer.id))}
      />
    </>
  );
}

interface OrderBoxProps {
  step: Step;
  customer: Customer;
  offer: Offer | undefined;
  busy: boolean;
  errors: readonly ErrorCode[];
  onBuy: (order: Order, idempotencyKey: string) => void;
  onCancel: () => void;
  onDone: () => void;
  onClosed: () => void;
}

/** One box for the order's last two steps: the order to confirm, then what was bought. One box,
 * not two in a row: it stays open from Absenden to Fertig. */
function OrderBox({ step, customer, offer, busy, errors, onBuy, onCancel, onDone, onClosed }: OrderBoxProps) {
  const { t, number } = useI18n();
  const previewFacts = usePreviewFacts(step.kind === 'review' ? step.preview : null);
  if (step.kind === 'done') {
    return (
      <ConfirmationBox open title={t('add.doneTitle')} confirmLabel={t('add.done')} onConfirm={onDone}>
        {t('add.doneText', { name: step.name, count: step.quantity, company: customer.companyName })}
      </ConfirmationBox>
    );
  }
  const order = step.kind === 'review' ? step : null;
  return (
    <ConfirmationBox
      open={order !== null}
      title={t('add.confirmTitle')}
      confirmLabel={t('add.confirm')}
      onConfirm={() => order && onBuy(order.order, order.idempotencyKey)}
      cancelLabel={t('common.cancel')}
      onCancel={onCancel}
      onClosed={onClosed}
      busy={busy}
    >
      {order && (
        <>
          <Facts
            items={[
              [t('subscription.customer'), customer.companyName],
              [t('subscription.offer'), offer?.name],
              [t('common.licenceCount'), number(order.order.quantity)],
              ...previewFacts,
            ]}
          />
          <FormErrors codes={errors} />
        </>
      )}
    </ConfirmationBox>
  );
}
