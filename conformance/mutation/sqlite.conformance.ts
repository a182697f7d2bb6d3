import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStore } from '@hallpass/conformance';
import Database from 'better-sqlite3';
import { beforeAll } from 'vitest';
import { SqliteStore } from '../../packages/sqlite/src/index.js';
import { tableInspector } from '../../packages/sqlite/test/support/inspector.js';
import { MUTATION_SCALE } from './scale.js';

// packages/sqlite/test/conformance.test.ts without its store-specific extras.
const paths = { dir: '', filename: '' };
let inspectorDb: Database.Database | undefined;

beforeAll(() => {
  paths.dir = mkdtempSync(join(tmpdir(), 'hallpass-sqlite-mutation-'));
  paths.filename = join(paths.dir, 'data', 'sessions.db');
});

describeStore({
  name: 'sqlite',
  factory: ({ clock }) => new SqliteStore({ filename: paths.filename, clock }),
  inspect: (store) => {
    inspectorDb ??= new Database(paths.filename);
    return tableInspector(inspectorDb, store.tableName);
  },
  cleanup: () => {
    inspectorDb?.close();
    inspectorDb = undefined;
    if (paths.dir) rmSync(paths.dir, { recursive: true, force: true });
  },
  expectCapabilities: { versioned: true, iterate: true, userIndex: true, touch: true },
  backendExpiry: {
    withinMs: 1_000,
    factory: ({ clock }) =>
      new SqliteStore({ filename: paths.filename, clock, cleanupIntervalMs: 100 }),
  },
  scale: MUTATION_SCALE,
});
