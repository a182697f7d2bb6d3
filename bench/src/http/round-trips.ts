import net from 'node:net';
import type Database from 'better-sqlite3';

/**
 * Store round trips, counted at the client inside the server child, the same way for every
 * contender and driver:
 * - network stores (Redis, PostgreSQL): a round trip is a flush of requests to the database's
 *   sockets. Writes to those sockets in the same event-loop turn count once, so a pipeline,
 *   an auto-pipelined batch, a script call or a pg extended-protocol message train is one
 *   round trip, and queries sent in parallel on several pooled connections are one too;
 * - SQLite: every statement executed (run/get/all/iterate, exec, pragma) counts one.
 * The server child reads the counter around a sequential probe (one request at a time), where
 * the figure is exactly "round trips this library makes per request".
 */
export interface RoundTrips {
  count: number;
}

export const roundTrips: RoundTrips = { count: 0 };

let ports = new Set<number>();
let flushPending = false;
let socketsPatched = false;

/** Count flushes to sockets connected to these ports (the run's throwaway servers). */
export function countSocketsTo(urls: Array<string | null>): void {
  ports = new Set(urls.filter((u): u is string => Boolean(u)).map((u) => Number(new URL(u).port)));
  if (socketsPatched) return;
  socketsPatched = true;
  const write = net.Socket.prototype.write;
  net.Socket.prototype.write = function countedWrite(this: net.Socket, ...args: unknown[]) {
    if (!flushPending && this.remotePort !== undefined && ports.has(this.remotePort)) {
      flushPending = true;
      roundTrips.count++;
      // Replies arrive in a later poll phase, after this turn's check phase.
      setImmediate(() => {
        flushPending = false;
      });
    }
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof write;
}

const patchedPrototypes = new WeakSet<object>();

/** Count every statement a better-sqlite3 database executes from now on. */
export function countStatements(db: Database.Database): void {
  const probe = db.prepare('SELECT 1');
  const statementProto = Object.getPrototypeOf(probe) as Record<string, unknown>;
  const dbProto = Object.getPrototypeOf(db) as Record<string, unknown>;
  const patch = (proto: Record<string, unknown>, names: string[]) => {
    if (patchedPrototypes.has(proto)) return;
    patchedPrototypes.add(proto);
    for (const name of names) {
      const original = proto[name] as (...a: unknown[]) => unknown;
      proto[name] = function counted(this: unknown, ...args: unknown[]) {
        roundTrips.count++;
        return original.apply(this, args);
      };
    }
  };
  patch(statementProto, ['run', 'get', 'all', 'iterate']);
  patch(dbProto, ['exec']);
}
