import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';

/**
 * The runnable examples of docs/tiered-store.md are run as they are written, and every
 * `console.log(...); // expected` line must print what its comment says, so the page cannot
 * drift from the code.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const page = join(here, '../../../docs/tiered-store.md');
const source = join(here, '../src/index.ts');

const examples = [...(await readFile(page, 'utf8')).matchAll(/```js\n\/\/ (\S+)\n([\s\S]*?)```/g)];
// Inside the package, so the example's imports of @hallpass/memory resolve like a user's would.
const scratch = await mkdtemp(join(here, '.docs-examples-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('docs/tiered-store.md examples', () => {
  it('the page has runnable examples', () => {
    expect(examples.map(([, name]) => name)).toEqual([
      'cached-revocation.mjs',
      'replicated-migration.mjs',
    ]);
  });

  for (const [, name, code] of examples) {
    it(`${name} prints what its comments say`, async () => {
      const file = join(scratch, `${name}.ts`);
      await writeFile(file, (code as string).replaceAll("'@hallpass/tiered'", `'${source}'`));
      const printed: string[] = [];
      const log = vi.spyOn(console, 'log').mockImplementation((...values: unknown[]) => {
        printed.push(values.map((v) => (typeof v === 'string' ? v : inspect(v))).join(' '));
      });
      try {
        await import(file);
      } finally {
        log.mockRestore();
      }
      const expected = [...(code as string).matchAll(/console\.log\([\s\S]*?\); \/\/ (.+)$/gm)].map(
        ([, comment]) => comment,
      );
      expect(printed).toHaveLength(expected.length);
      printed.forEach((line, i) => {
        expect(line.endsWith(` ${expected[i]}`), `"${line}" should end with "${expected[i]}"`).toBe(
          true,
        );
      });
    });
  }
});
