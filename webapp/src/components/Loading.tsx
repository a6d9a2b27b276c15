import { Spinner } from '@fluentui/react-components';
import { useI18n } from '../i18n/I18nProvider';

export function Loading() {
  const { t } = useI18n();
  return <Spinner label={t('common.loading')} />;
}
