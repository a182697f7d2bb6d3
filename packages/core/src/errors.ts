/** Every `code` a HallpassError can carry: stable across versions, safe to branch on. */
export type HallpassErrorCode =
  | 'STORE_UNAVAILABLE'
  | 'STORE_ABORTED'
  | 'STORE_CONFLICT'
  | 'CORRUPT_DATA'
  | 'INVALID_INPUT'
  | 'RECORD_TOO_LARGE'
  | 'INVALID_SESSION_INPUT'
  | 'SESSION_TOO_LARGE'
  | 'SESSION_NOT_LOADED'
  | 'NO_TOKEN'
  | 'INVALID_CONFIGURATION';

/**
 * Every error hallpass throws is a HallpassError with a stable `code`, so callers can
 * branch on `instanceof` or on `code` (which survives serialisation and worker boundaries).
 */
export class HallpassError extends Error {
  readonly code: HallpassErrorCode;

  constructor(code: HallpassErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Base of everything a Store reports. */
export class StoreError extends HallpassError {}

/**
 * The HTTP answer for "the session store cannot be used right now", in the shape frameworks
 * read off errors (http-errors): Express's and Koa's default handlers answer 503 with
 * `Cache-Control: no-store` and, since `expose` is false, without the message.
 */
abstract class RetryLaterError extends StoreError {
  readonly status = 503;
  readonly statusCode = 503;
  readonly expose = false;
  readonly headers: Readonly<Record<string, string>> = { 'Cache-Control': 'no-store' };
}

/** The backend cannot be reached or did not answer in time. Safe to retry later. */
export class StoreUnavailableError extends RetryLaterError {
  constructor(message = 'session store unavailable', options?: ErrorOptions) {
    super('STORE_UNAVAILABLE', message, options);
  }
}

/** A store call was cancelled through its AbortSignal (or ran past `storeTimeout`). */
export class StoreAbortedError extends RetryLaterError {
  constructor(reason?: unknown) {
    super('STORE_ABORTED', 'session store call aborted', { cause: reason });
  }
}

/** A versioned write lost a race it could not resolve by re-applying its changes. */
export class StoreConflictError extends StoreError {
  constructor(message = 'session changed concurrently', options?: ErrorOptions) {
    super('STORE_CONFLICT', message, options);
  }
}

/** Persisted bytes or rows that cannot be read back (bad codec data, a null where bytes belong). */
export class CorruptDataError extends StoreError {
  constructor(message = 'stored session data is corrupt', options?: ErrorOptions) {
    super('CORRUPT_DATA', message, options);
  }
}

/** A store was called with something it cannot accept (a malformed id, a non-finite time...). */
export class InvalidInputError extends StoreError {
  constructor(message: string, options?: ErrorOptions) {
    super('INVALID_INPUT', message, options);
  }
}

/** A record larger than the store's own limit (`RecordLimits.maxDataBytes`); nothing was written. */
export class RecordTooLargeError extends InvalidInputError {
  readonly size: number;
  readonly limit: number;

  constructor(size: number, limit: number) {
    super(`session data is ${size} bytes, over the store's limit of ${limit} bytes`);
    this.size = size;
    this.limit = limit;
    (this as { code: HallpassErrorCode }).code = 'RECORD_TOO_LARGE';
  }
}

/**
 * The application gave a session something it cannot hold: a key such as `__proto__`, or
 * values the codec cannot encode. Not a StoreError: the store was never asked.
 */
export class SessionInputError extends HallpassError {
  constructor(
    message: string,
    options?: ErrorOptions,
    code: 'INVALID_SESSION_INPUT' | 'SESSION_TOO_LARGE' = 'INVALID_SESSION_INPUT',
  ) {
    super(code, message, options);
  }
}

/** Encoded session data is larger than the configured maximum; nothing was written. */
export class SessionTooLargeError extends SessionInputError {
  readonly size: number;
  readonly limit: number;

  constructor(size: number, limit: number) {
    super(
      `session data is ${size} bytes, over the limit of ${limit} bytes`,
      undefined,
      'SESSION_TOO_LARGE',
    );
    this.size = size;
    this.limit = limit;
  }
}

/** Session API used where no session was loaded (outside the middleware, or after commit). */
export class SessionNotLoadedError extends HallpassError {
  constructor(
    message = 'no session is loaded for this request: is the hallpass middleware installed?',
  ) {
    super('SESSION_NOT_LOADED', message);
  }
}

/** Options that cannot work together, reported at construction instead of at the first request. */
export class ConfigurationError extends HallpassError {
  constructor(message: string) {
    super('INVALID_CONFIGURATION', message);
  }
}

/** Throws StoreAbortedError if the signal has fired; stores call it before and between I/O. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new StoreAbortedError(signal.reason);
}
