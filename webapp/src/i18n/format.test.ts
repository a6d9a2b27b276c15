import { describe, expect, it } from 'vitest';
import { formatAlternatives, formatCountry, formatDate, formatDay, formatMoney, formatNumber, interpolate } from './format';
import { initialLanguage } from './I18nProvider';

describe('formatting for the locale', () => {
  it('groups digits', () => {
    expect(formatNumber(10000, 'de')).toBe('10.000');
    expect(formatNumber(10000, 'en')).toBe('10,000');
  });
  it('writes money from a decimal string, without losing a cent', () => {
    const money = { amount: '1234567.05', currencyCode: 'EUR' };
    expect(formatMoney(money, 'de')).toBe('1.234.567,05\u00a0€');
    expect(formatMoney(money, 'en')).toBe('€1,234,567.05');
    expect(formatMoney({ amount: '7.2125', currencyCode: 'USD' }, 'en')).toBe('$7.2125');
    expect(formatMoney({ amount: '-12.50', currencyCode: 'USD' }, 'de')).toBe('-12,50\u00a0$');
  });
  it('writes dates and countries', () => {
    expect(formatDate('2026-11-30T12:00:00+00:00', 'de')).toBe('30.11.2026');
    expect(formatDate('2026-11-30T12:00:00+00:00', 'en')).toBe('Nov 30, 2026');
    expect(formatDay('2027-01-31', 'de')).toBe('31.01.2027');
    expect(formatCountry('DE', 'de')).toBe('Deutschland');
    expect(formatCountry('DE', 'en')).toBe('Germany');
  });
  it('fills placeholders, numbers formatted', () => {
    expect(interpolate('{name}: {count}', { name: 'E3', count: 1500 }, 'de')).toBe('E3: 1.500');
    expect(interpolate('{missing}', {}, 'en')).toBe('{missing}');
    expect(formatAlternatives(['E3', 'E5'], 'de')).toBe('E3 oder E5');
  });
});

describe('the first language', () => {
  it('is the stored choice, else the browser’s first the app speaks, else English', () => {
    expect(initialLanguage('en', ['de-DE'])).toBe('en');
    expect(initialLanguage(null, ['fr-FR', 'de-AT', 'en'])).toBe('de');
    expect(initialLanguage('xx', ['fr'])).toBe('en');
  });
});
