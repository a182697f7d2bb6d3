import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/**
 * Every module a source file loads at run time, followed through relative imports. Type-only
 * imports and exports are skipped: they vanish from the build.
 */
function runtimeGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!file.startsWith(src)) return;
    const text = readFileSync(file, 'utf8');
    const statement = /^(import|export)\s+(type\s+)?(?:[^;]*?\sfrom\s+)?'([^']+)';/gms;
    for (const [, , typeOnly, specifier] of text.matchAll(statement)) {
      if (typeOnly || specifier === undefined) continue;
      visit(
        specifier.startsWith('.')
          ? resolve(dirname(file), specifier.replace(/\.js$/, '.ts'))
          : specifier,
      );
    }
  };
  visit(join(src, entry));
  return seen;
}

describe('entry points by audience', () => {
  it('@hallpass/core/store loads no cookie, HTTP or session code', () => {
    const graph = [...runtimeGraph('store.ts')];
    expect(graph).not.toContain('cookie');
    expect(graph).not.toContain('on-headers');
    expect(graph.filter((file) => file.includes('/http/'))).toEqual([]);
    // The request lifecycle (src/lifecycle.ts), not the store kit's own (src/store/lifecycle.ts).
    const requestCode = /\/src\/(session|manager|lifecycle)\.ts$/;
    expect(graph.filter((file) => requestCode.test(file))).toEqual([]);
  });

  it('the walk does see cookie code where it is loaded (the root entry)', () => {
    expect([...runtimeGraph('index.ts')]).toContain('cookie');
  });

  it('the store kit and the root export the same classes', async () => {
    const store = await import('../src/store.js');
    const root = await import('../src/index.js');
    expect(store.StoreUnavailableError).toBe(root.StoreUnavailableError);
    expect(store.assertValidId).toBe(root.assertValidId);
  });
});
