import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Run by ../self-test.test.ts in a child process: the mutant files are expected to fail.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/mutants/**/*.mutant.ts'],
  },
});
