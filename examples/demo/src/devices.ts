import { type SessionManager, supports, type UserIndexStore } from '@hallpass/core';

/** One line of the "Your sessions" page. */
export interface DeviceSession {
  /** The stored id (a hash of the token): safe to put in a form, useless as a cookie. */
  id: string;
  userAgent: string | undefined;
  ip: string | undefined;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  current: boolean;
}

function indexed(manager: Pick<SessionManager, 'options'>): UserIndexStore {
  const { store } = manager.options;
  if (!supports(store, 'userIndex')) {
    throw new Error('the demo needs a store with the userIndex capability');
  }
  return store;
}

/** The user's live sessions, oldest first, with the device each was created on. */
export async function listDevices(
  manager: Pick<SessionManager, 'options'>,
  userId: string,
  currentId: string | null,
): Promise<DeviceSession[]> {
  const records = await indexed(manager).listByUser(userId);
  return records.map((record) => {
    let client: { userAgent?: string | undefined; ip?: string | undefined } = {};
    try {
      client = manager.options.codec.decode(record.data).client ?? {};
    } catch {
      // An unreadable session still belongs to the user and can still be revoked.
    }
    return {
      id: record.id,
      userAgent: client.userAgent,
      ip: client.ip,
      createdAt: record.createdAt,
      lastSeenAt: record.lastSeenAt,
      expiresAt: record.expiresAt,
      current: record.id === currentId,
    };
  });
}

/**
 * Revokes one of the user's sessions. The id comes from a form, so it is honoured only if it
 * is one of this user's own sessions: nobody can end someone else's session by guessing ids.
 */
export async function revokeDevice(
  manager: Pick<SessionManager, 'options'>,
  userId: string,
  id: string,
): Promise<boolean> {
  const store = indexed(manager);
  const owned = (await store.listByUser(userId)).some((session) => session.id === id);
  if (owned) await store.delete(id);
  return owned;
}

/** "Sign out everywhere else": every session of the user but the current one, in one call. */
export async function revokeOtherDevices(
  manager: Pick<SessionManager, 'options'>,
  userId: string,
  currentId: string | null,
): Promise<number> {
  return indexed(manager).deleteByUser(userId, currentId ? { except: currentId } : {});
}
