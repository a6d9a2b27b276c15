import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { expect, it } from 'vitest';
import { extractExamples } from './readmeExamples';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const examples = extractExamples(read('../../README.md'));

it('finds the README’s example operations', () => {
  expect(examples.length).toBeGreaterThanOrEqual(5);
  expect(examples[0]).toMatch(/^query Customers/);
});

it.each(examples)('offers only examples valid against schema.graphql: %s', (example) => {
  expect(validate(buildSchema(read('../../schema.graphql')), parse(example))).toEqual([]);
});
