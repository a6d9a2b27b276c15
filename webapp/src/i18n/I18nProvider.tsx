import type { BillingCycle, TermDuration } from '../api/generated';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Catalogue, Language, MessageKey } from './catalogue';
import { de } from './de';
import { en } from './en';
import { formatCountry, formatDate, formatDateTime, formatDay, formatMoney, formatNumber, interpolate, type Money } from './format';

export const CATALOGUES: Record<Language, Catalogue> = { de, en };
// A preference, not a secret: the one thing the app keeps in localStorage.
const LANGUAGE_STORAGE_KEY = 'csp.language';

/** The stored choice, else the first of the browser's languages that the app speaks, else English. */
export function initialLanguage(stored: string | null, browserLanguages: readonly string[]): Language {
  if (stored === 'de' || stored === 'en') return stored;
  for (const tag of browserLanguages) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'de' || primary === 'en') return primary;
  }
  return 'en';
}

export interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  catalogue: Catalogue;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  dateTime: (iso: string) => string;
  date: (iso: string) => string;
  day: (isoDate: string) => string;
  number: (value: number) => string;
  money: (value: Money) => string;
  /** "1 year, monthly billing". */
  term: (duration: TermDuration, cycle: BillingCycle) => string;
  country: (code: string) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(() =>
    initialLanguage(localStorage.getItem(LANGUAGE_STORAGE_KEY), navigator.languages),
  );
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, next);
    setLanguageState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const value = useMemo<I18n>(() => {
    const catalogue = CATALOGUES[language];
    return {
      language,
      setLanguage,
      catalogue,
      t: (key, params) => interpolate(catalogue.messages[key], params ?? {}, language),
      dateTime: (iso) => formatDateTime(iso, language),
      date: (iso) => formatDate(iso, language),
      day: (isoDate) => formatDay(isoDate, language),
      number: (value) => formatNumber(value, language),
      money: (value) => formatMoney(value, language),
      term: (duration, cycle) =>
        interpolate(
          catalogue.messages['common.term'],
          { term: catalogue.termDurations[duration], cycle: catalogue.billingCycles[cycle].toLowerCase() },
          language,
        ),
      country: (code) => formatCountry(code, language),
    };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (i18n === null) throw new Error('useI18n needs an I18nProvider');
  return i18n;
}
