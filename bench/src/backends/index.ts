import { memoryBackend } from './memory.ts';
import { mysqlBackend } from './mysql.ts';
import { postgresBackend } from './postgres.ts';
import { redisBackend, redisClusterBackend } from './redis.ts';
import { sqliteBackend } from './sqlite.ts';
import type { BackendDef, ContenderDef } from './types.ts';

/** Every backend, in the order the report shows them. Add a backend here and in its module. */
export const BACKENDS: BackendDef[] = [
  memoryBackend,
  redisBackend,
  redisClusterBackend,
  postgresBackend,
  mysqlBackend,
  sqliteBackend,
];

export const CEILINGS = [
  { id: 'ceiling/node-http', label: 'bare node:http (ceiling)' },
  { id: 'ceiling/express', label: 'Express 5, no sessions (ceiling)' },
] as const;

export function contenderById(id: string): ContenderDef {
  for (const backend of BACKENDS) {
    const found = backend.contenders.find((c) => c.id === id);
    if (found) return found;
  }
  throw new Error(`unknown contender ${id}`);
}
