// Just enough typing for the packages the benchmark uses that ship none.

declare module 'autocannon' {
  namespace autocannon {
    interface Request {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      setupRequest?: (request: Request) => Request;
    }
    interface Histogram {
      average: number;
      total: number;
      p50: number;
      p99: number;
    }
    interface Result {
      requests: Histogram;
      latency: Histogram;
      duration: number;
      non2xx: number;
      errors: number;
      timeouts: number;
    }
    interface Options {
      url: string;
      connections?: number;
      pipelining?: number;
      duration?: number;
      amount?: number;
      requests?: Request[];
    }
  }
  function autocannon(options: autocannon.Options): Promise<autocannon.Result>;
  export default autocannon;
}

declare module 'connect-pg-simple' {
  import type session from 'express-session';
  import type { Pool } from 'pg';

  interface PgStoreOptions {
    pool?: Pool;
    tableName?: string;
    schemaName?: string;
    createTableIfMissing?: boolean;
    pruneSessionInterval?: number | false;
  }
  type PgStoreClass = new (options: PgStoreOptions) => session.Store & { close(): void };
  export default function connectPgSimple(s: typeof session): PgStoreClass;
}

declare module 'better-sqlite3-session-store' {
  import type Database from 'better-sqlite3';
  import type session from 'express-session';

  interface SqliteStoreOptions {
    client: Database.Database;
    expired?: { clear?: boolean; intervalMs?: number };
  }
  type SqliteStoreClass = new (options: SqliteStoreOptions) => session.Store;
  export default function betterSqlite3SessionStore(s: typeof session): SqliteStoreClass;
}

declare module 'express-mysql-session' {
  import type session from 'express-session';
  import type { Pool } from 'mysql2/promise';

  interface MySQLStoreOptions {
    createDatabaseTable?: boolean;
    clearExpired?: boolean;
    schema?: { tableName?: string };
  }
  type MySQLStoreClass = new (
    options: MySQLStoreOptions,
    connection?: Pool,
  ) => session.Store & { onReady(): Promise<void>; close(): Promise<void> };
  export default function expressMysqlSession(s: typeof session): MySQLStoreClass;
}
