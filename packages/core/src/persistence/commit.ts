import { SessionInputError, SessionTooLargeError, StoreConflictError } from '../errors.js';
import type { UpdateOptions } from '../store/contract.js';
import { generateToken, tokenToId } from '../token.js';
import { rebase } from './rebase.js';
import { dueForTouch } from './rules.js';
import {
  type CookieAction,
  copyClient,
  emit,
  expiresAtOf,
  forget,
  type Persisted,
  type SessionState,
} from './state.js';

export type WritePlan = 'none' | 'create' | 'update' | 'touch';

/** What a commit at `now` would write. */
export function planOf(state: SessionState, now: number): WritePlan {
  if (state.status === 'modified') return state.persisted ? 'update' : 'create';
  if (state.status === 'destroyed' || !state.persisted) return 'none';
  return dueForTouch(state.ctx.options, state.persisted.lastSeenAt, now) ? 'touch' : 'none';
}

/** The cookie the response needs: the one a write decided, else the one the plan implies. */
export function cookieActionOf(state: SessionState, now: number): CookieAction {
  if (state.cookieAction !== null) return state.cookieAction;
  return planOf(state, now) === 'none' ? null : 'set';
}

export function ensureToken(state: SessionState): string {
  state.token ??= generateToken();
  return state.token;
}

/** Writes the pending changes: create, update (compare-and-set, rebasing on conflict) or touch. */
export async function commit(state: SessionState): Promise<void> {
  const now = state.ctx.options.clock();
  switch (planOf(state, now)) {
    case 'create':
      return create(state, now);
    case 'update':
      return update(state, now);
    case 'touch':
      return touch(state, now);
    default:
      return;
  }
}

function encode(state: SessionState): Uint8Array {
  const { codec, maxDataBytes } = state.ctx.options;
  let data: Uint8Array;
  try {
    data = codec.encode({
      deadline: state.deadline,
      values: state.values,
      persist: state.persist,
      client: state.recordedClient,
    });
  } catch (error) {
    throw new SessionInputError(`session values cannot be encoded by the ${codec.name} codec`, {
      cause: error,
    });
  }
  if (data.byteLength > maxDataBytes) throw new SessionTooLargeError(data.byteLength, maxDataBytes);
  return data;
}

async function create(state: SessionState, now: number): Promise<void> {
  const { store } = state.ctx.options;
  state.recordedClient ??= copyClient(state.client);
  const data = encode(state);
  // A 256-bit collision will not happen; the retry only keeps the contract honest.
  for (let attempt = 0; attempt < 2; attempt++) {
    const id = tokenToId(ensureToken(state));
    const result = await store.create(id, {
      data,
      expiresAt: expiresAtOf(state, now),
      userId: state.userId,
      createdAt: state.createdAt,
      lastSeenAt: now,
    });
    if (result.ok) {
      state.persisted = { id, version: result.version, lastSeenAt: now };
      const signedIn = written(state);
      emit(state, 'created', {});
      emit(state, 'committed', { version: result.version });
      return afterWrite(state, signedIn);
    }
    state.token = null;
  }
  throw new StoreConflictError('could not create a session with a fresh id');
}

async function update(state: SessionState, now: number): Promise<void> {
  const { store, maxConflictRetries } = state.ctx.options;
  const persisted = state.persisted as Persisted;
  const versioned = store.capabilities.versioned;
  for (let attempt = 0; attempt <= maxConflictRetries; attempt++) {
    const options: UpdateOptions = versioned ? { expectedVersion: persisted.version } : {};
    const result = await store.update(
      persisted.id,
      {
        data: encode(state),
        expiresAt: expiresAtOf(state, now),
        userId: state.userId,
        lastSeenAt: now,
      },
      options,
    );
    if (result.ok) {
      persisted.version = result.version;
      persisted.lastSeenAt = now;
      const signedIn = written(state);
      emit(state, 'committed', { version: result.version });
      return afterWrite(state, signedIn);
    }
    if (result.reason === 'missing' || !(await rebase(state, persisted))) return gone(state);
    await new Promise((resolve) => setTimeout(resolve, conflictPause(attempt)));
  }
  throw new StoreConflictError(
    `session kept changing under this request (${maxConflictRetries} retries)`,
  );
}

async function touch(state: SessionState, now: number): Promise<void> {
  const { store } = state.ctx.options;
  const persisted = state.persisted as Persisted;
  const expiresAt = expiresAtOf(state, now);
  let alive: boolean;
  if (store.touch) {
    alive = await store.touch(persisted.id, expiresAt, now);
  } else {
    // Rewrite the same data. Losing a race is fine: the winner extended it.
    const result = await store.update(
      persisted.id,
      { data: encode(state), expiresAt, userId: state.userId, lastSeenAt: now },
      store.capabilities.versioned ? { expectedVersion: persisted.version } : {},
    );
    if (result.ok) persisted.version = result.version;
    alive = result.ok || result.reason === 'conflict';
  }
  if (!alive) return gone(state);
  persisted.lastSeenAt = now;
  state.cookieAction = 'set';
  emit(state, 'touched', {});
}

/** The session ended elsewhere (logout, revocation, expiry) during this request: keep it ended. */
function gone(state: SessionState): void {
  emit(state, 'rejected', { reason: 'ended-during-request' });
  forget(state);
  state.status = 'destroyed';
}

/** Marks the state as stored; returns whether this write assigned a user. */
function written(state: SessionState): boolean {
  const signedIn = state.set.has('user') && state.userId !== null;
  state.status = 'unmodified';
  state.changes.reset();
  state.set.clear();
  state.cookieAction = 'set';
  return signedIn;
}

async function afterWrite(state: SessionState, signedIn: boolean): Promise<void> {
  if (signedIn && state.userId !== null) await state.ctx.afterSignIn?.(state.userId);
}

/**
 * The pause before retry `attempt`: random up to an exponentially growing bound ("full
 * jitter"). Writers released together spread out further each round, so a burst of N writers
 * settles in about log N rounds instead of one winner per round exhausting the retries.
 */
function conflictPause(attempt: number): number {
  return Math.random() * Math.min(MAX_CONFLICT_PAUSE_MS, 2 ** (attempt + 1));
}

const MAX_CONFLICT_PAUSE_MS = 100;
