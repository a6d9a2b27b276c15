// The README's example operations, offered as GraphiQL's tabs: read from README.md at build time
// so that the page never shows an example the README no longer has.
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

const MODULE_ID = 'virtual:readme-examples';
const RESOLVED_ID = `\0${MODULE_ID}`;
const SECTION = '## Examples to paste into GraphiQL';

/** Every ```graphql block of the README's examples section, in order. */
export function extractExamples(markdown: string): string[] {
  const start = markdown.indexOf(SECTION);
  if (start < 0) throw new Error(`README.md has no section "${SECTION}"`);
  const rest = markdown.slice(start + SECTION.length);
  const next = rest.search(/^## /m);
  const section = next < 0 ? rest : rest.slice(0, next);
  return [...section.matchAll(/^```graphql\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
}

export function readmeExamples(readmePath: string): Plugin {
  return {
    name: 'readme-examples',
    resolveId: (id) => (id === MODULE_ID ? RESOLVED_ID : null),
    load(id) {
      if (id !== RESOLVED_ID) return null;
      this.addWatchFile(readmePath);
      const examples = extractExamples(readFileSync(readmePath, 'utf8'));
      return `export default ${JSON.stringify(examples)};`;
    },
  };
}
