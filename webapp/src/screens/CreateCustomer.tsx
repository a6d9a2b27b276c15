import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  Select,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useMemo, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { createCustomer } from '../actions/availability';
import { newIdempotencyKey } from '../api/errors';
import { CreateCustomerDocument, type CreateCustomerInput, type CreateCustomerMutation } from '../api/generated';
import { ActionButton } from '../components/ActionButton';
import { Facts } from '../components/Facts';
import { FormErrors } from '../components/FormErrors';
import { COUNTRY_CODES } from '../i18n/countries';
import { useI18n } from '../i18n/I18nProvider';
import { useViewer } from '../viewer/ViewerProvider';
import { useChangeOutcome } from './useChangeOutcome';

export type NewCustomer = NonNullable<CreateCustomerMutation['createCustomer']['customer']>;
type Details = Omit<CreateCustomerInput, 'validateOnly' | 'idempotencyKey' | 'clientMutationId'>;

// The fields an error is shown beside; any other (idempotencyKey) goes under the form.
const FIELDS = ['companyName', 'domainPrefix', 'country', 'adminName', 'adminEmail'] as const;
const EMPTY: Details = { companyName: '', domainPrefix: '', country: '', adminName: '', adminEmail: '' };

const useStyles = makeStyles({
  fields: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/** "Kunden hinzufügen" on the customer list: the button (disabled with its reason for roles that
 * may not) and its dialog. Each opening of the dialog is one customer to add, with one
 * idempotency key: a retry after a lost answer never adds it twice. */
export function CreateCustomerAction({ onCreated }: { onCreated: (customer: NewCustomer) => void }) {
  const { t } = useI18n();
  const availability = createCustomer(useViewer());
  // Kept mounted and opened or closed (see ConfirmationBox); the key restarts the form per opening.
  const [dialog, setDialog] = useState({ open: false, idempotencyKey: '' });
  const close = () => setDialog((current) => ({ ...current, open: false }));
  return (
    <>
      <ActionButton availability={availability} onClick={() => setDialog({ open: true, idempotencyKey: newIdempotencyKey() })}>
        {t('customers.create')}
      </ActionButton>
      <Dialog open={dialog.open} onOpenChange={(_, data) => !data.open && close()}>
        <DialogSurface>
          {dialog.idempotencyKey && (
            <CreateCustomerForm
              key={dialog.idempotencyKey}
              idempotencyKey={dialog.idempotencyKey}
              onCancel={close}
              onCreated={(customer) => {
                close();
                onCreated(customer);
              }}
            />
          )}
        </DialogSurface>
      </Dialog>
    </>
  );
}

interface FormProps {
  idempotencyKey: string;
  onCancel: () => void;
  onCreated: (customer: NewCustomer) => void;
}

/** The details, checked by the server (validateOnly) before a confirmation step shows them; then
 * the customer is added. */
function CreateCustomerForm({ idempotencyKey, onCancel, onCreated }: FormProps) {
  const { t, catalogue, country, language } = useI18n();
  const styles = useStyles();
  const [details, setDetails] = useState<Details>(EMPTY);
  const [reviewing, setReviewing] = useState(false);
  const outcome = useChangeOutcome(FIELDS);
  const [{ fetching }, create] = useMutation(CreateCustomerDocument);
  const countries = useMemo(() => {
    const collator = new Intl.Collator(language);
    return COUNTRY_CODES.map((code) => ({ code, name: country(code) })).sort((a, b) => collator.compare(a.name, b.name));
  }, [country, language]);
  const set = (field: keyof Details) => (_: unknown, data: { value: string }) => setDetails({ ...details, [field]: data.value });
  const prefix = details.domainPrefix.trim().toLowerCase();

  const check = async (event: FormEvent) => {
    event.preventDefault();
    const result = await create({ input: { ...details, validateOnly: true } });
    if (outcome.settle(result.error, result.data?.createCustomer.userErrors)) setReviewing(true);
  };
  const add = async () => {
    // The same key on a retry: if the first attempt did go through, the server answers with it again.
    const result = await create({ input: { ...details, idempotencyKey, validateOnly: false } });
    const payload = result.data?.createCustomer;
    if (outcome.settle(result.error, payload?.userErrors) && payload?.customer) onCreated(payload.customer);
    else if (!result.error) setReviewing(false); // refused: back to the form, the reasons beside their fields
  };

  const { byField } = outcome.errors;
  const message = (field: (typeof FIELDS)[number]) => {
    const code = byField[field];
    return code && catalogue.errors[code];
  };
  if (reviewing) {
    return (
      <DialogBody>
        <DialogTitle>{t('createCustomer.confirmTitle')}</DialogTitle>
        <DialogContent>
          <Facts
            items={[
              [t('createCustomer.companyName'), details.companyName.trim()],
              [t('createCustomer.domain'), `${prefix}.onmicrosoft.com`],
              [t('createCustomer.country'), country(details.country)],
              [t('createCustomer.admin'), `${details.adminName.trim()} <${details.adminEmail.trim()}>`],
            ]}
          />
          <FormErrors codes={outcome.errors.other} />
        </DialogContent>
        <DialogActions>
          <Button appearance="primary" onClick={() => void add()} disabled={fetching} icon={fetching ? <Spinner size="tiny" /> : undefined}>
            {t('createCustomer.confirm')}
          </Button>
          <Button onClick={() => setReviewing(false)} disabled={fetching}>
            {t('createCustomer.edit')}
          </Button>
        </DialogActions>
      </DialogBody>
    );
  }
  return (
    <form onSubmit={(event) => void check(event)} noValidate>
      <DialogBody>
        <DialogTitle>{t('createCustomer.title')}</DialogTitle>
        <DialogContent className={styles.fields}>
          <Text>{t('createCustomer.intro')}</Text>
          <Field label={t('createCustomer.companyName')} required validationMessage={message('companyName')}>
            <Input value={details.companyName} onChange={set('companyName')} autoComplete="organization" />
          </Field>
          <Field
            label={t('createCustomer.domainPrefix')}
            required
            hint={t('createCustomer.domainHint', { domain: `${prefix || '…'}.onmicrosoft.com` })}
            validationMessage={message('domainPrefix')}
          >
            <Input value={details.domainPrefix} onChange={set('domainPrefix')} />
          </Field>
          <Field label={t('createCustomer.country')} required validationMessage={message('country')}>
            <Select value={details.country} onChange={set('country')}>
              <option value="">{t('createCustomer.countryChoose')}</option>
              {countries.map(({ code, name }) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t('createCustomer.adminName')} required validationMessage={message('adminName')}>
            <Input value={details.adminName} onChange={set('adminName')} autoComplete="off" />
          </Field>
          <Field label={t('createCustomer.adminEmail')} required validationMessage={message('adminEmail')}>
            <Input type="email" value={details.adminEmail} onChange={set('adminEmail')} autoComplete="off" />
          </Field>
          <FormErrors codes={outcome.errors.other} />
        </DialogContent>
        <DialogActions>
          <Button type="submit" appearance="primary" disabled={fetching}>
            {t('common.submit')}
          </Button>
          <Button onClick={onCancel} disabled={fetching}>
            {t('common.cancel')}
          </Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}
