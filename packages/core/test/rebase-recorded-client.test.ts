import { describe, expect, it } from 'vitest';
import { manualManager } from './support/manual-manager.js';

type Data = { role: string; visits: number };

/**
 * hallpass itself never changes the client recorded on a row (a renewal writes a new row), but
 * other writers can: a privacy job that erases stored IP addresses from live sessions, say. A
 * request that loaded the row before such a write loses the compare-and-set race, and its
 * rebase must take the recorded client from the fresh row rather than write the old one back.
 */
describe('a rebase takes the recorded client from the fresh row', () => {
  it('an IP address erased while a request ran is not written back by its commit', async () => {
    const { manager, store } = manualManager<Data>();
    const client = { userAgent: 'UA', ip: '192.0.2.1' };
    const first = await manager.load(undefined, client);
    first.put('role', 'admin');
    await first.commit();
    const cookie = `session=${first.token}`;

    const request = await manager.load(cookie, client);
    expect(request.client).toEqual(client);

    // The erasing job: a versioned write through the store, as any other writer would do it.
    const row = store.rows.get(first.id as string);
    if (!row) throw new Error('no row');
    const { codec } = manager.options;
    const envelope = codec.decode(row.data);
    const erased = await store.update(
      row.id,
      {
        data: codec.encode({ ...envelope, client: { userAgent: 'UA' } }),
        expiresAt: row.expiresAt,
        userId: row.userId,
        lastSeenAt: row.lastSeenAt,
      },
      { expectedVersion: row.version },
    );
    expect(erased.ok).toBe(true);

    request.put('visits', 1);
    const updates = store.count('update');
    await request.commit();
    expect(store.count('update') - updates, 'a conflict, then the rebased write').toBe(2);

    const after = await manager.load(cookie, client);
    expect(after.get('visits')).toBe(1);
    expect(after.client).toEqual({ userAgent: 'UA' });
  });
});
