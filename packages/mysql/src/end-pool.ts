import type { Pool } from 'mysql2/promise';

/** How long close() waits for the pool's connections to say goodbye before dropping them. */
const END_GRACE_MS = 5_000;

interface Destroyable {
  destroy(): void;
}

/**
 * Ends a pool the store created, within a bounded time. mysql2's `end()` sends QUIT on every
 * connection and waits for each to close: on a server that stopped answering (a stalled network
 * path) that never happens, and an application's graceful shutdown would hang on close(). After
 * the grace period the connections are destroyed instead. mysql2 has no public call for that:
 * its callback pool keeps them all in `_allConnections`, read defensively here.
 */
export async function endPool(pool: Pool): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const ended = pool.end().then(
    () => true,
    () => true,
  );
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), END_GRACE_MS);
  });
  const graceful = await Promise.race([ended, late]);
  clearTimeout(timer);
  if (graceful) return;
  const all = (pool as unknown as { pool?: { _allConnections?: { toArray?(): unknown[] } } }).pool
    ?._allConnections;
  for (const connection of all?.toArray?.() ?? []) (connection as Destroyable).destroy();
}
