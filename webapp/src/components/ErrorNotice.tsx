import { Button, MessageBar, MessageBarActions, MessageBarBody } from '@fluentui/react-components';
import type { ErrorCode } from '../i18n/codes';
import { useI18n } from '../i18n/I18nProvider';

/** A failure not tied to one field, in the reader's language; with a retry where one can help. */
export function ErrorNotice({ code, onRetry }: { code: ErrorCode; onRetry?: () => void }) {
  const { t, catalogue } = useI18n();
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>{catalogue.errors[code]}</MessageBarBody>
      {onRetry && (
        <MessageBarActions>
          <Button onClick={onRetry}>{t('common.retry')}</Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
