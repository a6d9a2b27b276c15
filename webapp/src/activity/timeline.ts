// The activity timeline's pure parts: merging entries into one newest-first list, and saying a
// record's before and after as readable changes. The list's state lives in one place
// (useActivityTimeline), and every source of entries (a page, a reload, later a live update)
// goes through mergeEntries.
import type { ActivityFilter, BillingCycle, SubscriptionStatus, TermDuration } from '../api/generated';

export interface TimelineEntry {
  id: string;
  occurredAt: string;
}

/** `incoming` merged into `current` by id (an incoming entry replaces its older copy), newest
 * first; entries of the same moment keep the order they arrived in. */
export function mergeEntries<T extends TimelineEntry>(current: readonly T[], incoming: readonly T[]): T[] {
  const replaced = new Map(incoming.map((entry) => [entry.id, entry]));
  const kept = current.map((entry) => replaced.get(entry.id) ?? entry);
  const known = new Set(current.map((entry) => entry.id));
  const added = incoming.filter((entry) => !known.has(entry.id));
  // Timestamps with an offset: compare the instants, not the strings.
  const time = (entry: T) => Date.parse(entry.occurredAt);
  return [...kept, ...added].sort((a, b) => time(b) - time(a));
}

/** Whether a live entry belongs in a timeline: the stream is one customer's (the server filters
 * by customer), so a subscription's timeline keeps that subscription's entries only. */
export function belongsTo(filter: ActivityFilter, entry: { subscription: { id: string } | null }): boolean {
  if (filter.subscriptionId != null) return entry.subscription?.id === String(filter.subscriptionId);
  return true;
}

/** One changed fact of a record: its name, and its value before (absent for a creation) and after. */
export interface FactChange {
  key: string;
  before: unknown;
  after: unknown;
  /** False for a creation: there was no before. */
  hasBefore: boolean;
}

/** The facts a record changed, in the order the server wrote them. */
export function factChanges(before: unknown, after: unknown): FactChange[] {
  if (!isRecord(after)) return [];
  const previous = isRecord(before) ? before : null;
  return Object.entries(after).map(([key, value]) => ({
    key,
    before: previous?.[key] ?? null,
    after: value,
    hasBefore: previous !== null,
  }));
}

/** What formatting a fact's value needs, in the reader's language. */
export interface FactFormat {
  number: (value: number) => string;
  dateTime: (iso: string) => string;
  day: (isoDate: string) => string;
  country: (code: string) => string;
  status: (status: SubscriptionStatus) => string;
  term: (duration: TermDuration, cycle: BillingCycle) => string;
  termDuration: (duration: TermDuration) => string;
  billingCycle: (cycle: BillingCycle) => string;
  yesNo: (value: boolean) => string;
  /** A scheduled renewal: its count and term. */
  nextTerm: (quantity: string, term: string) => string;
  none: string;
}

/** One value of a fact, readable: counts and dates for the locale, codes by their names. */
export function formatFact(key: string, value: unknown, f: FactFormat): string {
  if (value === null || value === undefined) return f.none;
  switch (key) {
    case 'quantity':
      return typeof value === 'number' ? f.number(value) : String(value);
    case 'status':
      return f.status(value as SubscriptionStatus);
    case 'autoRenew':
      return f.yesNo(value === true);
    case 'termDuration':
      return f.termDuration(value as TermDuration);
    case 'billingCycle':
      return f.billingCycle(value as BillingCycle);
    case 'commitmentEndDate':
      return typeof value === 'string' ? f.day(value) : String(value);
    case 'suspendedAt':
      return typeof value === 'string' ? f.dateTime(value) : String(value);
    case 'country':
      return typeof value === 'string' ? f.country(value) : String(value);
    case 'nextTerm':
      if (isRecord(value) && typeof value['quantity'] === 'number') {
        const term = f.term(value['termDuration'] as TermDuration, value['billingCycle'] as BillingCycle);
        return f.nextTerm(f.number(value['quantity']), term);
      }
      return JSON.stringify(value);
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
