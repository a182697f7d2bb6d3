import { defineConfig, type Options } from 'tsup';

/**
 * `HALLPASS_SKIP_DTS=1` builds JavaScript only: `npm run demo` runs the packages and needs no
 * declaration files, which take most of a build's time. turbo hashes the variable (turbo.json), so
 * a JavaScript-only build is never reused where declarations are expected (tests, typecheck, pack).
 */
const skipDeclarations = process.env.HALLPASS_SKIP_DTS === '1';

/** The one build every published package uses: ESM + CJS + declarations for both. */
export function packageBuild(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: !skipDeclarations,
    clean: true,
    sourcemap: true,
    target: 'node22',
    // Rollup splits the CommonJS build: tsup's own CJS splitting runs sucrase, which rewrites
    // every `?.` and `??` into helper calls (measured: a memory find 2x slower under require()).
    treeshake: true,
    // Keep `node:crypto` as written: tsup strips the prefix by default, and Deno, Bun and edge
    // runtimes resolve Node's built-ins only by their `node:` names.
    removeNodeProtocol: false,
    ...overrides,
  });
}
