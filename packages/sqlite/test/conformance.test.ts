import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStore } from '@hallpass/conformance';
import Database from 'better-sqlite3';
import { beforeAll } from 'vitest';
import { SqliteStore } from '../src/index.js';
import { tableInspector } from './support/inspector.js';
import { sqliteSpecificTests } from './support/specific.js';

// A real file (WAL, busy timeout: what the store does for files), in a folder of this run,
// made in beforeAll so a run that selects no test here leaves nothing behind.
const paths = { dir: '', filename: '' };
let inspectorDb: Database.Database | undefined;

beforeAll(() => {
  paths.dir = mkdtempSync(join(tmpdir(), 'hallpass-sqlite-'));
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
    if (paths.dir) rmSync(paths.dir, { recursive: true, force: true });
  },
  expectCapabilities: { versioned: true, iterate: true, userIndex: true, touch: true },
  // The store's cleanup timer is the only thing that removes rows: run it often here.
  backendExpiry: {
    withinMs: 1_000,
    factory: ({ clock }) =>
      new SqliteStore({ filename: paths.filename, clock, cleanupIntervalMs: 100 }),
  },
  additionalTests: (ctx) => sqliteSpecificTests(ctx, paths),
});
