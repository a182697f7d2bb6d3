import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStore } from '@hallpass/conformance';
import Database from 'better-sqlite3';
import { SqliteStore } from '../src/index.js';
import { tableInspector } from './support/inspector.js';
import { sqliteSpecificTests } from './support/specific.js';

// A real file (WAL, busy timeout: what the store does for files), in a folder of this run.
const dir = mkdtempSync(join(tmpdir(), 'hallpass-sqlite-'));
const filename = join(dir, 'data', 'sessions.db');
let inspectorDb: Database.Database | undefined;

describeStore({
  name: 'sqlite',
  factory: () => new SqliteStore({ filename }),
  inspect: (store) => {
    inspectorDb ??= new Database(filename);
    return tableInspector(inspectorDb, store.tableName);
  },
  cleanup: () => {
    inspectorDb?.close();
    rmSync(dir, { recursive: true, force: true });
  },
  expectCapabilities: { versioned: true, iterate: true, userIndex: true, touch: true },
  additionalTests: (ctx) => sqliteSpecificTests(ctx, { dir, filename }),
});
