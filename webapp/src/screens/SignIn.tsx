import { Button, Field, Input, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '../components/ErrorNotice';
import { PageHeading } from '../components/PageHeading';
import { useI18n } from '../i18n/I18nProvider';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '640px' },
  submit: { alignSelf: 'flex-start' },
});

export interface SignInProps {
  onSignIn: (key: string) => void;
  /** The server refused the last key (HTTP 401): say so. */
  refused: boolean;
}

/** Signing in with an API key. The key is checked by the first request made with it: a refusal
 * brings the reader back here with the reason. */
export function SignIn({ onSignIn, refused }: SignInProps) {
  const { t } = useI18n();
  const styles = useStyles();
  const [key, setKey] = useState('');
  const [missing, setMissing] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = key.trim();
    setMissing(trimmed === '');
    if (trimmed !== '') onSignIn(trimmed);
  };
  return (
    <>
      <PageHeading>{t('signIn.title')}</PageHeading>
      {refused && <ErrorNotice code="UNAUTHENTICATED" />}
      <form className={styles.form} onSubmit={submit} noValidate>
        <Text>{t('signIn.intro')}</Text>
        <Field
          label={t('signIn.keyLabel')}
          hint={t('signIn.keyHint')}
          required
          validationMessage={missing ? t('signIn.keyRequired') : undefined}
        >
          <Input type="password" value={key} onChange={(_, data) => setKey(data.value)} autoComplete="off" />
        </Field>
        <Button type="submit" appearance="primary" className={styles.submit}>
          {t('signIn.submit')}
        </Button>
      </form>
    </>
  );
}
