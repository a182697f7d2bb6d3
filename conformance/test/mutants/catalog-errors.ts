import {
  InvalidInputError,
  type IterateOptions,
  type SessionRecord,
  type SessionUpdate,
  type StoredSession,
  StoreUnavailableError,
  type UpdateOptions,
} from '@hallpass/core';
import { ReferenceStore } from '../support/reference-store.js';
import { type Mutant, mutant, overriding } from './mutant.js';

const OPERATIONS = [
  'find',
  'create',
  'update',
  'touch',
  'delete',
  'iterate',
  'listByUser',
  'deleteByUser',
];

/** `backend unavailable > <operation> rejects...` for every operation. */
const everyUnavailableTest = OPERATIONS.map(
  (operation) => `backend unavailable > ${operation} rejects with StoreUnavailableError`,
);

/**
 * One-bug stores for the rules of errors (rule 8, a backend that is down; rule 9, messages that
 * say what was wrong and where): the ways a store author's error handling goes wrong.
 */
export const ERROR_MUTANTS: Mutant[] = [
  overriding(
    "lets the driver's own error through when the backend is down (no StoreError)",
    class extends ReferenceStore {
      override unavailable(_operation: string, error: Error): Error {
        return error;
      }
    },
    [...everyUnavailableTest, 'backend unavailable > deleteExpired rejects'],
  ),
  overriding(
    "maps a backend failure to StoreUnavailableError without the driver's error as cause",
    class extends ReferenceStore {
      override unavailable(operation: string, error: Error): Error {
        return new StoreUnavailableError(`reference ${operation}: ${error.message}`);
      }
    },
    [...everyUnavailableTest, 'backend unavailable > deleteExpired rejects'],
  ),
  overriding(
    'maps a backend failure to InvalidInputError (the caller would not retry)',
    class extends ReferenceStore {
      override unavailable(operation: string, error: Error): Error {
        return new InvalidInputError(`reference ${operation}: ${error.message}`, { cause: error });
      }
    },
    [...everyUnavailableTest, 'backend unavailable > deleteExpired rejects'],
  ),
  overriding(
    'says which store failed, but not which call, when the backend is down',
    class extends ReferenceStore {
      override unavailable(_operation: string, error: Error): Error {
        return new StoreUnavailableError(`reference: ${error.message}`, { cause: error });
      }
    },
    [...everyUnavailableTest, 'backend unavailable > deleteExpired rejects'],
  ),
  overriding(
    'waits for a backend that is down to come back (a call never settles)',
    class extends ReferenceStore {
      override async find(id: string, options?: { signal?: AbortSignal }) {
        // A driver's offline queue without a timeout: the call is held until reconnection.
        if (this.backendDown) return new Promise<StoredSession | null>(() => {});
        return super.find(id, options);
      }
    },
    ['backend unavailable > find rejects with StoreUnavailableError'],
  ),
  overriding(
    'hangs in close() when its backend is down (waits to flush)',
    class extends ReferenceStore {
      override async close(): Promise<void> {
        this.closed = true;
        if (this.backendDown) await new Promise<never>(() => {});
      }
    },
    ['backend unavailable > close resolves in time on a store whose backend is down'],
  ),
  overriding(
    "a closed store's error does not name the call",
    class extends ReferenceStore {
      override enter(signal: AbortSignal | undefined): void {
        super.enter(signal, 'store');
      }
    },
    [
      "error messages > a closed store's StoreUnavailableError starts with the store's name and names the call",
    ],
  ),
  overriding(
    "a closed store's error does not name the store",
    class extends ReferenceStore {
      override enter(signal: AbortSignal | undefined, operation?: string): void {
        try {
          super.enter(signal, operation);
        } catch (error) {
          if (!(error instanceof StoreUnavailableError)) throw error;
          throw new StoreUnavailableError(`${operation}: the store is closed`);
        }
      }
    },
    [
      "error messages > a closed store's StoreUnavailableError starts with the store's name and names the call",
    ],
  ),
  overriding(
    'refuses every invalid argument with the same message, naming none',
    class extends ReferenceStore {
      override async find(id: string, options?: { signal?: AbortSignal }) {
        return vague(() => super.find(id, options));
      }
      override async create(id: string, record: SessionRecord, options?: { signal?: AbortSignal }) {
        return vague(() => super.create(id, record, options));
      }
      override async update(id: string, changes: SessionUpdate, options?: UpdateOptions) {
        return vague(() => super.update(id, changes, options));
      }
      override async delete(id: string, options?: { signal?: AbortSignal }) {
        return vague(() => super.delete(id, options));
      }
      override async touch(id: string, expiresAt: number, lastSeenAt: number) {
        return vague(() => super.touch(id, expiresAt, lastSeenAt));
      }
      override async listByUser(userId: string) {
        return vague(() => super.listByUser(userId));
      }
      override async deleteByUser(userId: string) {
        return vague(() => super.deleteByUser(userId));
      }
      override async *iterate(options?: IterateOptions) {
        try {
          yield* super.iterate(options);
        } catch (error) {
          throw vagueError(error);
        }
      }
      override async deleteExpired(options?: { batchSize?: number }) {
        return vague(() => super.deleteExpired(options));
      }
    },
    [
      'error messages > a malformed session id is refused with a message naming the id',
      'error messages > data that is not bytes',
      'error messages > an invalid expiresAt',
      'error messages > an invalid createdAt',
      'error messages > an invalid lastSeenAt',
      'error messages > an invalid touch time',
      'error messages > a malformed user id',
      'error messages > an invalid pageSize',
      'error messages > an invalid expectedVersion',
      'error messages > an invalid batchSize',
    ],
  ),
  overriding(
    'keeps listByUser and deleteByUser without declaring userIndex, answering "none" (sign out everywhere revokes nothing)',
    class extends ReferenceStore {
      override readonly capabilities = { ...new ReferenceStore().capabilities, userIndex: false };
      override async listByUser() {
        return [];
      }
      override async deleteByUser() {
        return 0;
      }
    },
    [
      'error messages > a method of a capability the store does not declare rejects with InvalidInputError naming it',
    ],
  ),
  mutant(
    'names pageSize in the error for an invalid batchSize (one validator, its default name)',
    () =>
      new (class extends ReferenceStore {
        override async deleteExpired(options: { batchSize?: number } = {}) {
          if (options.batchSize !== undefined && !(options.batchSize >= 1)) {
            throw new InvalidInputError('pageSize must be a positive integer');
          }
          return super.deleteExpired(options);
        }
      })(),
    ['error messages > an invalid batchSize is refused with a message naming batchSize'],
  ),
];

function vagueError(error: unknown): unknown {
  return error instanceof InvalidInputError ? new InvalidInputError('invalid argument') : error;
}

async function vague<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw vagueError(error);
  }
}
