import type { SessionRecord, Store } from '@hallpass/core';

/**
 * Makes `secondary` hold `record` under `id`, whether or not it had the session: create, and
 * if a session is already there (an earlier copy, or a racing write), overwrite it.
 */
export async function upsert(secondary: Store, id: string, record: SessionRecord): Promise<void> {
  const created = await secondary.create(id, record);
  if (created.ok) return;
  const { createdAt: _, ...changes } = record;
  await secondary.update(id, changes);
}

/**
 * Copies the primary's current state of one session to a secondary that missed it. Reading
 * the primary rather than replaying the write means a session revoked meanwhile is deleted
 * on the secondary instead of being brought back.
 */
export async function copyFromPrimary(primary: Store, secondary: Store, id: string): Promise<void> {
  const current = await primary.find(id);
  if (!current) {
    await secondary.delete(id);
    return;
  }
  const { id: _, version: __, ...record } = current;
  await upsert(secondary, id, record);
}
