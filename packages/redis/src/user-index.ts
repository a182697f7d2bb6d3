import type { ClientAdapter } from './clients/index.js';
import { isId, type KeySpace } from './keys.js';
import { decodeSession } from './layout.js';
import { runScript } from './run-script.js';
import { INDEX_ADD, INDEX_READ } from './scripts.js';

/**
 * The per-user index: one sorted set per user, member = session id, score = an upper bound of
 * that session's expiry. It lives in the user's hash slot, the session in its own, so the two
 * are never written by one script. What keeps them consistent is an invariant every writer
 * upholds: a live signed-in session is in its user's index with a score at least its expiry.
 * Entries are added before the session write, so a failure in between leaves an entry that
 * readers skip, never a session that revoke-all cannot find.
 */
export class UserIndex {
  readonly #client: ClientAdapter;
  readonly #keys: KeySpace;

  constructor(client: ClientAdapter, keys: KeySpace) {
    this.#client = client;
    this.#keys = keys;
  }

  /** Adds (or raises, never lowers) an entry and keeps the key expiring with its last entry. */
  async add(userId: string, id: string, bound: number, now: number): Promise<void> {
    await runScript(this.#client, INDEX_ADD, this.#keys.user(userId), [
      String(bound),
      id,
      String(now),
    ]);
  }

  /** Only for sessions the store itself just deleted or moved away. */
  async remove(userId: string, id: string): Promise<void> {
    await this.#client.zrem(this.#keys.user(userId), [id]);
  }

  /** The ids whose bound has not passed (dropping the others): candidates, to be checked. */
  async read(userId: string, now: number): Promise<string[]> {
    const members = (await runScript(this.#client, INDEX_READ, this.#keys.user(userId), [
      String(now),
    ])) as Buffer[];
    return members.map((member) => member.toString('utf8')).filter(isId);
  }

  /**
   * Upkeep after a session changed owner. A concurrent move the other way could interleave
   * with it, so each side re-checks after its own step:
   * - the new owner's entry was added before the write; if a concurrent move-out removed it
   *   since, it is added again;
   * - the old owner's entry is removed, then the session is read again: if it went back to
   *   the old owner meanwhile, the entry is restored.
   */
  async afterMove(
    id: string,
    from: string | null,
    to: string | null,
    bound: number,
    now: number,
    readSession: (id: string) => Promise<Buffer | null>,
  ): Promise<void> {
    if (to !== null && (await this.#client.zscore(this.#keys.user(to), id)) === null) {
      await this.add(to, id, bound, now);
    }
    if (from === null) return;
    await this.remove(from, id);
    const value = await readSession(id);
    if (!value) return;
    let current: ReturnType<typeof decodeSession>;
    try {
      current = decodeSession(id, value);
    } catch {
      return; // unreadable now: nothing to keep indexed
    }
    if (current.userId === from && current.expiresAt > now) {
      await this.add(from, id, current.indexBound, now);
    }
  }
}

/**
 * The score an id gets: an upper bound of the session's expiry. Twice the remaining lifetime
 * leaves room for touches to extend the session without raising the index each time; a stale
 * entry costs only memory until the bound passes.
 */
export function indexBound(expiresAt: number, now: number): number {
  return expiresAt + Math.max(expiresAt - now, 0);
}
