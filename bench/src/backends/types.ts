import type { Store } from '@hallpass/core';
import type { Store as ExpressSessionStore } from 'express-session';

/** What a contender may use, prepared by the parent for this run. */
export interface BackendEnv {
  redisUrl: string | null;
  /** Seed nodes of the run's throwaway 3-master Redis Cluster. */
  redisClusterNodes: Array<{ host: string; port: number }> | null;
  postgresUrl: string | null;
  mysqlUrl: string | null;
  /** A private folder for files (SQLite databases). */
  dataDir: string;
  /** Unique per server child: key prefix, table name suffix. Lowercase letters, digits, _. */
  namespace: string;
}

export type Built = (
  | { library: 'hallpass'; store: Store; close(): Promise<void> }
  | { library: 'express-session'; store: ExpressSessionStore; close(): Promise<void> }
) & {
  /** An in-process SQL database (better-sqlite3): its statements are counted as round trips. */
  sqlite?: import('better-sqlite3').Database;
};

/** One session library on one backend, built inside the server child. */
export interface ContenderDef {
  /** `backend/name`, unique: what --backends and the JSON use. */
  id: string;
  backend: string;
  /** What the tables and chart show. */
  label: string;
  library: 'hallpass' | 'express-session';
  build(env: BackendEnv): Promise<Built>;
}

export interface BackendDef {
  name: string;
  /** Throwaway servers this backend needs the parent to start. */
  servers: Array<'redis' | 'redis-cluster' | 'postgres' | 'mysql'>;
  contenders: ContenderDef[];
}

/**
 * A contender whose package does not provide what the benchmark needs yet (a store still
 * being written): the run reports it as skipped with this reason instead of failing.
 */
export class NotAvailableError extends Error {
  override name = 'NotAvailableError';
}

/**
 * A hallpass store constructor as the benchmark sees it. Typed loosely on purpose: the store
 * packages are loaded at run time, so the harness type-checks before they are built.
 */
export type StoreClass = new (
  options: Record<string, unknown>,
) => Store & { close(): Promise<void> };

/** Loads an export of a workspace store package, or explains why it is not there. */
export async function requireExport<T>(pkg: string, name: string): Promise<T> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pkg)) as Record<string, unknown>;
  } catch (error) {
    throw new NotAvailableError(`${pkg} could not be loaded (${(error as Error).message})`);
  }
  if (mod[name] === undefined) throw new NotAvailableError(`${pkg} does not export ${name} yet`);
  return mod[name] as T;
}
