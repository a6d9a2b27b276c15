// Dates, numbers, money and country names in the chosen language, all through Intl.

export function formatDateTime(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function formatDate(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(iso));
}

/** A calendar day (the API's Date, e.g. a term's last day): the same day in every time zone. */
export function formatDay(isoDate: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${isoDate}T00:00:00Z`));
}

export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** The API's Money: a decimal string (never a float, so no cent is lost) and an ISO 4217 code. */
export interface Money {
  amount: string;
  currencyCode: string;
}

export function formatMoney(money: Money, locale: string): string {
  const options: Intl.NumberFormatOptions = { style: 'currency', currency: money.currencyCode };
  // A unit price may have more decimals than the currency's minor unit: show them, never round.
  const decimals = money.amount.split('.')[1]?.length ?? 0;
  const minor = new Intl.NumberFormat(locale, options).resolvedOptions().maximumFractionDigits ?? 2;
  const format = new Intl.NumberFormat(locale, { ...options, maximumFractionDigits: Math.max(decimals, minor) });
  return format.format(money.amount as Intl.StringNumericLiteral);
}

export function formatCountry(code: string, locale: string): string {
  return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code;
}

/** Fills {name} placeholders; numbers are formatted for the locale. */
export function interpolate(template: string, params: Record<string, string | number>, locale: string): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(value, locale) : value;
  });
}

/** "A or B", "A oder B". */
export function formatAlternatives(items: readonly string[], locale: string): string {
  return new Intl.ListFormat(locale, { type: 'disjunction' }).format(items);
}
