import { Text } from '@fluentui/react-components';
import { PageHeading } from '../components/PageHeading';
import { RouterLink } from '../components/RouterLink';
import { useI18n } from '../i18n/I18nProvider';
import { customersPath } from '../routes';

export function NotFound() {
  const { t } = useI18n();
  return (
    <>
      <PageHeading>{t('notFound.title')}</PageHeading>
      <Text>{t('notFound.text')}</Text>
      <RouterLink href={customersPath}>{t('notFound.back')}</RouterLink>
    </>
  );
}
