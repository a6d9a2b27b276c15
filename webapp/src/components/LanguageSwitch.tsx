import { Select } from '@fluentui/react-components';
import type { Language } from '../i18n/catalogue';
import { useI18n } from '../i18n/I18nProvider';

// Each language named in itself, so that a reader who cannot read the current one finds theirs.
const NAMES: Record<Language, string> = { de: 'Deutsch', en: 'English' };

export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <Select
      aria-label={t('language.label')}
      value={language}
      onChange={(_, data) => setLanguage(data.value as Language)}
      appearance="underline"
    >
      {(Object.keys(NAMES) as Language[]).map((code) => (
        <option key={code} value={code} lang={code}>
          {NAMES[code]}
        </option>
      ))}
    </Select>
  );
}
