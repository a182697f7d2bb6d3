import { defineConfig, type Options } from 'tsup';

/** The one build every published package uses: ESM + CJS + declarations for both. */
export function packageBuild(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node22',
    ...overrides,
  });
}
