import { describe, expect, it } from 'vitest';
import { belongsTo, factChanges, formatFact, mergeEntries, type FactFormat } from './timeline';

const entry = (id: string, occurredAt: string, label = id) => ({ id, occurredAt, label });

describe('mergeEntries', () => {
  const page = [entry('c', '2026-12-02T10:00:00+00:00'), entry('b', '2026-12-02T09:00:00+00:00')];

  it('puts a newer entry first, as a live update would', () => {
    const merged = mergeEntries(page, [entry('d', '2026-12-02T11:00:00+00:00')]);
    expect(merged.map((e) => e.id)).toEqual(['d', 'c', 'b']);
  });
  it('appends an older page after the newer', () => {
    const merged = mergeEntries(page, [entry('a', '2026-12-01T09:00:00+00:00')]);
    expect(merged.map((e) => e.id)).toEqual(['c', 'b', 'a']);
  });
  it('shows an entry that arrives twice once, in its latest copy', () => {
    const merged = mergeEntries(page, [entry('c', '2026-12-02T10:00:00+00:00', 'again'), entry('d', '2026-12-02T11:00:00+00:00')]);
    expect(merged.map((e) => [e.id, e.label])).toEqual([
      ['d', 'd'],
      ['c', 'again'],
      ['b', 'b'],
    ]);
  });
  it('orders by instant, whatever the offset', () => {
    const merged = mergeEntries([entry('utc', '2026-12-02T10:30:00+00:00')], [entry('berlin', '2026-12-02T11:00:00+01:00')]);
    expect(merged.map((e) => e.id)).toEqual(['utc', 'berlin']);
  });
  it('keeps the arrival order of entries of the same moment', () => {
    const same = '2026-12-02T10:00:00+00:00';
    expect(mergeEntries([entry('x', same)], [entry('y', same)]).map((e) => e.id)).toEqual(['x', 'y']);
  });
});

describe('factChanges', () => {
  it('pairs each changed fact with its value before', () => {
    expect(factChanges({ quantity: 10 }, { quantity: 11 })).toEqual([{ key: 'quantity', before: 10, after: 11, hasBefore: true }]);
  });
  it('has no before for a creation', () => {
    expect(factChanges(null, { companyName: 'Fourth Coffee', country: 'DE' })).toEqual([
      { key: 'companyName', before: null, after: 'Fourth Coffee', hasBefore: false },
      { key: 'country', before: null, after: 'DE', hasBefore: false },
    ]);
  });
  it('says nothing of an after that is not an object', () => {
    expect(factChanges(null, 'oops')).toEqual([]);
  });
});

describe('formatFact', () => {
  const f: FactFormat = {
    number: (value) => new Intl.NumberFormat('de').format(value),
    dateTime: (iso) => `at ${iso}`,
    day: (isoDate) => `on ${isoDate}`,
    country: (code) => (code === 'DE' ? 'Deutschland' : code),
    status: (status) => (status === 'SUSPENDED' ? 'Gesperrt' : status),
    term: (duration, cycle) => `${duration}/${cycle}`,
    termDuration: (duration) => `term ${duration}`,
    billingCycle: (cycle) => `cycle ${cycle}`,
    yesNo: (value) => (value ? 'Ja' : 'Nein'),
    nextTerm: (quantity, term) => `${quantity} Lizenzen, ${term}`,
    none: 'keine',
  };

  it('formats each kind of fact for the reader', () => {
    expect(formatFact('quantity', 1500, f)).toBe('1.500');
    expect(formatFact('status', 'SUSPENDED', f)).toBe('Gesperrt');
    expect(formatFact('autoRenew', false, f)).toBe('Nein');
    expect(formatFact('termDuration', 'P1Y', f)).toBe('term P1Y');
    expect(formatFact('billingCycle', 'MONTHLY', f)).toBe('cycle MONTHLY');
    expect(formatFact('commitmentEndDate', '2027-12-01', f)).toBe('on 2027-12-01');
    expect(formatFact('suspendedAt', '2026-12-02T10:00:00+00:00', f)).toBe('at 2026-12-02T10:00:00+00:00');
    expect(formatFact('country', 'DE', f)).toBe('Deutschland');
    expect(formatFact('friendlyName', 'Sales team', f)).toBe('Sales team');
    expect(formatFact('unitPrice', '432.00', f)).toBe('432.00');
  });
  it('says a scheduled renewal with its count and term', () => {
    expect(formatFact('nextTerm', { quantity: 10, termDuration: 'P1Y', billingCycle: 'MONTHLY' }, f)).toBe('10 Lizenzen, P1Y/MONTHLY');
  });
  it('says none for an absent value', () => {
    expect(formatFact('nextTerm', null, f)).toBe('keine');
    expect(formatFact('suspendedAt', null, f)).toBe('keine');
  });
  it('shows a fact it does not know as the server wrote it', () => {
    expect(formatFact('seats', { a: 1 }, f)).toBe('{"a":1}');
  });
});

describe('belongsTo', () => {
  const of = (id: string | null) => ({ subscription: id === null ? null : { id } });
  it("keeps a subscription's own entries in its timeline, and everything in its customer's", () => {
    expect(belongsTo({ subscriptionId: 'sub-1' }, of('sub-1'))).toBe(true);
    expect(belongsTo({ subscriptionId: 'sub-1' }, of('sub-2'))).toBe(false);
    expect(belongsTo({ subscriptionId: 'sub-1' }, of(null))).toBe(false);
    expect(belongsTo({ customerId: 'cus-1' }, of('sub-2'))).toBe(true);
    expect(belongsTo({ customerId: 'cus-1' }, of(null))).toBe(true);
  });
});
