import { describe, expect, it } from 'vitest';
import { SessionInputError, SessionManager, StoreError } from '../src/index.js';
import { TestStore } from './support/test-store.js';

const bad = [
  ['a NUL', 'a\u0000b'],
  ['a lone high surrogate', '\ud800'],
  ['a lone low surrogate', 'x\udc00y'],
  ['a reversed pair', '\udc00\ud800'],
  ['the empty string', ''],
  ['257 characters', 'u'.repeat(257)],
] as const;

async function signedInSession() {
  const store = new TestStore();
  const manager = new SessionManager({ store });
  const session = await manager.load(undefined);
  session.put('cart', 1);
  await session.commit();
  store.calls.length = 0;
  return { store, manager, session, id: session.id as string };
}

describe('user ids are checked once, in core, before any store call', () => {
  it.each(bad)(
    'signIn with %s throws SessionInputError and deletes nothing',
    async (_l, userId) => {
      const { store, session, id } = await signedInSession();
      const failure = await session.signIn(userId).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(SessionInputError);
      expect(failure).not.toBeInstanceOf(StoreError);
      expect(store.calls, 'no store call at all').toEqual([]);
      expect(store.rows.has(id), 'the old session is still stored').toBe(true);
      expect(session.get('cart')).toBe(1);
      expect(session.userId).toBeNull();
    },
  );

  it.each(bad)(
    'setUser, revokeUser, revokeSession and listUserSessions refuse %s',
    async (_l, userId) => {
      const { store, manager, session } = await signedInSession();
      expect(() => session.setUser(userId)).toThrow(SessionInputError);
      expect(session.status, 'the refused setUser changed nothing').toBe('unmodified');
      await expect(manager.revokeUser(userId)).rejects.toThrow(SessionInputError);
      await expect(manager.revokeSession(userId, 'x')).rejects.toThrow(SessionInputError);
      await expect(manager.listUserSessions(userId)).rejects.toThrow(SessionInputError);
      expect(store.calls).toEqual([]);
    },
  );

  it('accepts 256 characters, surrogate pairs and any other text', async () => {
    for (const userId of ['u'.repeat(256), 'emoji 😀', 'ünïcödé', 'a b\tc', '1']) {
      const { manager, session } = await signedInSession();
      await session.signIn(userId);
      await session.commit();
      expect(session.userId).toBe(userId);
      expect(await manager.listUserSessions(userId)).toHaveLength(1);
      expect(await manager.revokeUser(userId)).toBe(1);
    }
  });

  it('setUser(null) signs out without a check', async () => {
    const { session } = await signedInSession();
    expect(() => session.setUser(null)).not.toThrow();
  });
});
