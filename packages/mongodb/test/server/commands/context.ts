import type { Document } from 'bson';
import type { Catalog } from '../catalog.js';
import type { Cursors } from '../cursors.js';

/** What every command handler gets besides its command document. */
export interface CommandContext {
  catalog: Catalog;
  cursors: Cursors;
  /** Database named by `$db` (or the OP_QUERY namespace). */
  database: string;
  connectionId: number;
}

export type CommandHandler = (command: Document, context: CommandContext) => Document;

/** Reads an optional non-negative integer option; BSON ints/longs arrive as JS numbers. */
export function optionalCount(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? Math.abs(Math.trunc(number)) : undefined;
}
