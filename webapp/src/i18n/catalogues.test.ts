import { readFileSync } from 'node:fs';
import { buildSchema, isEnumType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { REQUEST_ERROR_CODES, VERSION_2_USER_ERROR_CODES } from './codes';
import { CATALOGUES } from './I18nProvider';

const schema = buildSchema(readFileSync(new URL('../../../schema.graphql', import.meta.url), 'utf8'));

function enumValues(name: string): string[] {
  const type = schema.getType(name);
  if (!isEnumType(type)) throw new Error(`schema.graphql has no enum ${name}`);
  return type.getValues().map((value) => value.name);
}

describe.each(Object.entries(CATALOGUES))('the %s catalogue', (_, catalogue) => {
  const errors: Record<string, string> = catalogue.errors;
  it.each(enumValues('UserErrorCode'))('says what UserErrorCode %s means', (code) => {
    expect(errors[code]?.trim()).toBeTruthy();
  });
  it.each([...VERSION_2_USER_ERROR_CODES, ...REQUEST_ERROR_CODES])('says what %s means', (code) => {
    expect(errors[code]?.trim()).toBeTruthy();
  });
  it('names every status, role, term, billing cycle, reason, operation and actor kind of the schema', () => {
    const groups: [string, Record<string, string>][] = [
      ['SubscriptionStatus', catalogue.statuses],
      ['Role', catalogue.roles],
      ['TermDuration', catalogue.termDurations],
      ['BillingCycle', catalogue.billingCycles],
      ['SalesChannel', catalogue.channels],
      ['NotManageableReason', catalogue.reasons],
      ['ActivityOperation', catalogue.operations],
      ['ActorKind', catalogue.actorKinds],
    ];
    for (const [name, labels] of groups) {
      for (const value of enumValues(name)) expect(labels[value]?.trim(), `${name}.${value}`).toBeTruthy();
    }
  });
  it('has no empty message', () => {
    for (const [key, text] of Object.entries(catalogue.messages)) expect(text.trim(), key).toBeTruthy();
  });
});

it('speaks German in German', () => {
  expect(CATALOGUES.de.errors.VERSION_CONFLICT).not.toEqual(CATALOGUES.en.errors.VERSION_CONFLICT);
  expect(CATALOGUES.de.messages['add.done']).toBe('Fertig');
});
