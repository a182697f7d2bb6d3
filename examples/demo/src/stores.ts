import { join } from 'node:path';
import { generateToken, type Store, tokenToId } from '@hallpass/core';

export interface OpenedStore {
  store: Store;
  /** What the pages show as "sessions are kept in ...", without credentials. */
  label: string;
  close(): Promise<void>;
}

/** A URL with its password removed, safe to print and to show on a page. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

async function open(
  spec: string,
  dataDir: string,
  namespace: string | undefined,
): Promise<OpenedStore> {
  // Each backend's package is imported only when chosen, so the demo starts without loading
  // the drivers of the backends it does not use.
  if (spec === 'sqlite') {
    const { SqliteStore } = await import('@hallpass/sqlite');
    const filename = join(dataDir, 'sessions.db');
    const store = new SqliteStore({ filename });
    return { store, label: `SQLite (${filename})`, close: () => store.close() };
  }
  if (spec === 'memory') {
    const { MemoryStore } = await import('@hallpass/memory');
    const store = new MemoryStore();
    return { store, label: 'memory (this process only)', close: () => store.close() };
  }
  if (/^postgres(ql)?:\/\//.test(spec)) {
    const { PostgresStore } = await import('@hallpass/postgres');
    const store = new PostgresStore({
      connectionString: spec,
      ensureSchema: true,
      ...(namespace ? { table: namespace } : {}),
    });
    return { store, label: `PostgreSQL (${redact(spec)})`, close: () => store.close() };
  }
  if (/^(mysql|mariadb):\/\//.test(spec)) {
    const { MysqlStore } = await import('@hallpass/mysql');
    // mysql2 reads mysql:// URLs; mariadb:// is accepted as the same thing.
    const uri = spec.replace(/^mariadb:/, 'mysql:');
    const store = new MysqlStore({
      uri,
      ensureSchema: true,
      ...(namespace ? { table: namespace } : {}),
    });
    return { store, label: `MySQL (${redact(spec)})`, close: () => store.close() };
  }
  if (/^rediss?:\/\//.test(spec)) {
    const { RedisStore } = await import('@hallpass/redis');
    const store = new RedisStore({ url: spec, ...(namespace ? { prefix: namespace } : {}) });
    return { store, label: `Redis (${redact(spec)})`, close: () => store.close() };
  }
  if (/^mongodb(\+srv)?:\/\//.test(spec)) {
    const { MongoStore } = await import('@hallpass/mongodb');
    const store = new MongoStore({
      url: spec,
      ...(namespace ? { collectionName: namespace } : {}),
    });
    return { store, label: `MongoDB (${redact(spec)})`, close: () => store.close() };
  }
  throw new Error(
    `HALLPASS_DEMO_STORE=${redact(spec)} is not a store the demo knows: use sqlite (default), memory, redis://..., postgres://..., mysql://... or mongodb://...`,
  );
}

/**
 * Opens the store HALLPASS_DEMO_STORE names and checks that it answers, so a wrong URL or a
 * server that is down stops the demo at start-up with a clear message instead of on the
 * first page.
 */
export async function openStore(
  spec: string,
  dataDir: string,
  namespace?: string,
): Promise<OpenedStore> {
  const opened = await open(spec, dataDir, namespace);
  try {
    await opened.store.find(tokenToId(generateToken()));
  } catch (error) {
    await opened.close().catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot reach the session store ${opened.label}: ${reason}`, {
      cause: error,
    });
  }
  return opened;
}
