import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeStore } from '../src/index.js';
import { MUTANTS } from './mutants/catalog.js';
import { ReferenceStore } from './support/reference-store.js';

/**
 * The suite tested by its own rules: a correct reference store must pass every test, and each
 * mutant (the reference with one deliberate contract violation) must fail the tests meant to
 * guard that rule. Proves the tests can fail, so a green run on a real store means something.
 * The mutants run in a child vitest (their failures are the expected outcome) with a JSON
 * report this file reads.
 */

interface AssertionResult {
  ancestorTitles: string[];
  title: string;
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo';
  failureMessages: string[];
}

interface JsonReport {
  testResults: Array<{ name: string; message?: string; assertionResults: AssertionResult[] }>;
}

const root = fileURLToPath(new URL('..', import.meta.url));
let results: Map<string, Array<{ key: string; status: string; message: string }>>;
/** The child run's file whose groups option names a group that does not exist. */
const UNKNOWN_GROUP_FILE = 'unknown-group.mutant.ts';
let unknownGroup: JsonReport['testResults'][number] | undefined;

async function runMutants(): Promise<JsonReport> {
  const vitest = join(
    dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
    'vitest.mjs',
  );
  const dir = await mkdtemp(join(tmpdir(), 'hallpass-conformance-'));
  const output = join(dir, 'report.json');
  try {
    await new Promise<void>((resolve) => {
      execFile(
        process.execPath,
        [
          vitest,
          'run',
          '--config',
          'test/mutants/vitest.config.ts',
          '--reporter=json',
          `--outputFile=${output}`,
        ],
        { cwd: root, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 },
        // A non-zero exit is the expected outcome: the mutants fail.
        () => resolve(),
      );
    });
    return JSON.parse(await readFile(output, 'utf8')) as JsonReport;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  const report = await runMutants();
  unknownGroup = report.testResults.find((file) => file.name.endsWith(UNKNOWN_GROUP_FILE));
  const broken = report.testResults.filter(
    (file) => file.message && !file.name.endsWith(UNKNOWN_GROUP_FILE),
  );
  if (broken.length > 0) throw new Error(`mutant files did not load: ${broken[0]?.message}`);
  results = new Map();
  for (const file of report.testResults) {
    for (const test of file.assertionResults) {
      const [store = '', ...groups] = test.ancestorTitles;
      const list = results.get(store) ?? [];
      list.push({
        key: [...groups, test.title].join(' > '),
        status: test.status,
        message: test.failureMessages[0]?.split('\n')[0] ?? '',
      });
      results.set(store, list);
    }
  }
}, 300_000);

describe('conformance self-test', () => {
  // The reference expires keys by itself: the cleanup options' tests skip on it, and run in
  // 'reference with a background cleanup' (which selects only the standard options' groups).
  const cleanupOptionTests = [
    'standard options: background cleanup > ',
    'standard options: checks and defaults > a cleanupBatchSize',
    'standard options: checks and defaults > a cleanupIntervalMs',
  ];
  const referenceRuns: Array<[string, string[]]> = [
    [
      'reference',
      [
        'create and update > a store without compare-and-set ignores expectedVersion',
        ...cleanupOptionTests,
        // It declares every capability: there is no undeclared one to call.
        'error messages > a method of a capability the store does not declare',
      ],
    ],
    [
      'reference without compare-and-set',
      [
        'versioned update > ',
        'version validation > ',
        'error messages > an invalid expectedVersion',
        // versioned, the one capability it lacks, has no method of its own to call.
        'error messages > a method of a capability the store does not declare',
        'SessionManager over HTTP > concurrent requests',
        ...cleanupOptionTests,
      ],
    ],
    ['reference with a background cleanup', []],
  ];
  for (const [name, mayBeSkipped] of referenceRuns) {
    it(`the ${name} store passes every test`, () => {
      const tests = results.get(`store conformance: ${name}`) ?? [];
      expect(tests.length, 'tests run on the reference store').toBeGreaterThan(100);
      expect(
        tests.filter((test) => test.status === 'passed').length,
        'tests passed on the reference store',
      ).toBeGreaterThan(10);
      const failed = tests.filter((test) => test.status === 'failed');
      expect(failed.map((test) => `${test.key}: ${test.message}`)).toEqual([]);
      const skipped = tests.filter(
        (test) =>
          test.status === 'skipped' &&
          !test.key.endsWith('[skipped: group not selected (groups option)]') &&
          !mayBeSkipped.some((prefix) => test.key.startsWith(prefix)),
      );
      expect(
        skipped.map((test) => test.key),
        'unexpected skips',
      ).toEqual([]);
    });
  }

  it('a groups option naming no group fails the suite, listing the groups there are', () => {
    const message = [
      unknownGroup?.message ?? '',
      ...(unknownGroup?.assertionResults ?? []).flatMap((test) => test.failureMessages),
    ].join('\n');
    expect(message).toContain('groups option names no group of the suite: "iterations"');
    expect(message).toContain('"iteration"');
    expect(
      unknownGroup?.assertionResults.filter((test) => test.status === 'passed'),
      'tests that ran anyway',
    ).toEqual([]);
  });

  it('a groups option that is empty or not a list of titles is refused', () => {
    for (const groups of [[], 'iteration', [1]]) {
      expect(() =>
        describeStore({
          name: 'bad groups',
          factory: () => new ReferenceStore(),
          groups: groups as unknown as string[],
        }),
      ).toThrow(TypeError);
    }
  });

  for (const mutant of MUTANTS) {
    it(`catches a store that ${mutant.name}`, () => {
      const tests = results.get(`store conformance: mutant: ${mutant.name}`) ?? [];
      expect(tests.length, 'tests run on the mutant').toBeGreaterThan(0);
      for (const expected of mutant.caughtBy) {
        const matching = tests.filter((test) => test.key.startsWith(expected));
        expect(matching.length, `tests titled "${expected}..."`).toBeGreaterThan(0);
        for (const test of matching) {
          expect(test.status, `"${test.key}" must fail on this mutant`).toBe('failed');
        }
      }
      // Only the groups of caughtBy were selected (the groups option): the rest is reported
      // as skipped, with the reason, and nothing of the selected groups is.
      const selected = new Set(mutant.caughtBy.map((key) => key.split(' > ')[0]));
      const notSelected = (test: { key: string }) =>
        test.key.endsWith('[skipped: group not selected (groups option)]');
      const outside = tests.filter((test) => !selected.has(test.key.split(' > ')[0]));
      expect(outside.length, 'tests of the groups not selected').toBeGreaterThan(0);
      for (const test of outside) {
        expect([test.status, notSelected(test)], test.key).toEqual(['skipped', true]);
      }
      expect(
        tests.filter((test) => selected.has(test.key.split(' > ')[0]) && notSelected(test)),
      ).toEqual([]);
    });
  }
});
