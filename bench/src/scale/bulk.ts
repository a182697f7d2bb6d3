import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { BackendEnv } from '../backends/types.ts';

/**
 * Fills a store's backend with many sessions in one statement, straight in the store's
 * documented layout, because creating a million sessions one call at a time would take the
 * whole time budget. `expired` rows expired an hour ago (for the cleanup check).
 */
export interface BulkTarget {
  backend: string;
  env: BackendEnv;
  /** PostgreSQL / MySQL / SQLite table, SQLite file, or Redis key prefix of the store. */
  table?: string;
  file?: string;
  prefix?: string;
}

const DATA_HEX = Buffer.from('hp1:[{"deadline":1,"values":2},9999999999999,{}]').toString('hex');

export async function bulkInsert(
  target: BulkTarget,
  from: number,
  count: number,
  options: { expired: boolean; users: number },
): Promise<void> {
  if (count <= 0) return;
  const { backend, env } = target;
  if (backend === 'postgres') {
    const client = new pg.Client({ connectionString: env.postgresUrl as string });
    await client.connect();
    try {
      const expiry = options.expired ? "now() - interval '1 hour'" : "now() + interval '1 day'";
      await client.query(
        `INSERT INTO ${target.table} (id, data, expires_at, user_id, created_at, last_seen_at, version)
         SELECT 'bulk' || g, decode($1, 'hex'), ${expiry}, 'bulkuser' || (g % $4), now(), now(), 1
         FROM generate_series($2::bigint, $3::bigint) AS g`,
        [DATA_HEX, from, from + count - 1, options.users],
      );
    } finally {
      await client.end();
    }
  } else if (backend === 'mysql') {
    await bulkInsertMysql(target, from, count, options);
  } else if (backend === 'sqlite') {
    const db = new Database(target.file as string);
    try {
      db.pragma('busy_timeout = 30000');
      const now = Date.now();
      const expiresAt = options.expired ? now - 3_600_000 : now + 86_400_000;
      db.prepare(
        `WITH RECURSIVE g(n) AS (SELECT ? UNION ALL SELECT n + 1 FROM g WHERE n < ?)
         INSERT INTO ${target.table} (id, data, expires_at, user_id, created_at, last_seen_at, version)
         SELECT 'bulk' || n, X'${DATA_HEX}', ?, 'bulkuser' || (n % ?), ?, ?, 1 FROM g`,
      ).run(from, from + count - 1, expiresAt, options.users, now, now);
    } finally {
      db.close();
    }
  } else if (backend === 'redis') {
    // Keys under the store's session namespace that revoke-all must never have to visit.
    const client = new Redis(env.redisUrl as string);
    try {
      await client.call('DEBUG', 'POPULATE', String(from + count), `${target.prefix}:session:bulk`);
    } finally {
      client.disconnect();
    }
  } else {
    throw new Error(`no bulk insert for ${backend}`);
  }
}

/** 0..9999 from four cross-joined digit tables: portable (no recursive-CTE depth limit). */
const TEN_THOUSAND = `(SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d AS n FROM ${[
  'a',
  'b',
  'c',
  'e',
]
  .map(
    (t) => `(${Array.from({ length: 10 }, (_, d) => `SELECT ${d} AS d`).join(' UNION ALL ')}) ${t}`,
  )
  .join(', ')})`;

async function bulkInsertMysql(
  target: BulkTarget,
  from: number,
  count: number,
  options: { expired: boolean; users: number },
): Promise<void> {
  const connection = await mysql.createConnection({ uri: target.env.mysqlUrl as string });
  try {
    const now = Date.now();
    const expiresAt = options.expired ? now - 3_600_000 : now + 86_400_000;
    // Ten thousand rows a statement: one transaction per chunk, well within the packet limit.
    for (let base = from; base < from + count; base += 10_000) {
      const last = Math.min(base + 9_999, from + count - 1);
      await connection.query(
        `INSERT INTO \`${target.table}\` (id, data, expires_at, user_id, created_at, last_seen_at, version)
         SELECT CONCAT('bulk', g.n + ?), UNHEX(?), ?, CONCAT('bulkuser', (g.n + ?) % ?), ?, ?, 1
         FROM ${TEN_THOUSAND} g WHERE g.n + ? <= ?`,
        [base, DATA_HEX, expiresAt, base, options.users, now, now, base, last],
      );
    }
  } finally {
    await connection.end();
  }
}

export function sqliteFile(env: BackendEnv, name: string): string {
  return join(env.dataDir, `${env.namespace}-${name}.db`);
}

/** How many bulk-inserted rows are still in the table (SQL backends). */
export async function countBulk(target: BulkTarget): Promise<number> {
  const sql = `SELECT count(*) AS n FROM ${target.table} WHERE id LIKE 'bulk%'`;
  if (target.backend === 'postgres') {
    const client = new pg.Client({ connectionString: target.env.postgresUrl as string });
    await client.connect();
    try {
      return Number((await client.query(sql)).rows[0].n);
    } finally {
      await client.end();
    }
  }
  if (target.backend === 'mysql') {
    const connection = await mysql.createConnection({ uri: target.env.mysqlUrl as string });
    try {
      const [rows] = await connection.query<mysql.RowDataPacket[]>(sql);
      return Number(rows[0]?.n);
    } finally {
      await connection.end();
    }
  }
  const db = new Database(target.file as string, { readonly: true });
  try {
    return Number((db.prepare(sql).get() as { n: number }).n);
  } finally {
    db.close();
  }
}
