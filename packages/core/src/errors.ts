/**
 * Every error hallpass throws is a HallpassError with a stable `code`, so callers can
 * branch on `instanceof` or on `code` (which survives serialisation and worker boundaries).
 */
export class HallpassError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Base of everything a Store reports. */
export class StoreError extends HallpassError {}

/** The backend cannot be reached or did not answer in time. Safe to retry later. */
export class StoreUnavailableError extends StoreError {
  constructor(message = 'session store unavailable', options?: ErrorOptions) {
    super('STORE_UNAVAILABLE', message, options);
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

/** The caller passed something the store cannot accept (a malformed id, a non-finite time...). */
export class InvalidInputError extends StoreError {
  constructor(message: string, options?: ErrorOptions) {
    super('INVALID_INPUT', message, options);
  }
}

/** Encoded session data is larger than the configured maximum; nothing was written. */
export class SessionTooLargeError extends InvalidInputError {
  readonly size: number;
  readonly limit: number;

  constructor(size: number, limit: number) {
    super(`session data is ${size} bytes, over the limit of ${limit} bytes`);
    this.size = size;
    this.limit = limit;
    (this as { code: string }).code = 'SESSION_TOO_LARGE';
  }
}

/** A store call was cancelled through its AbortSignal. */
export class StoreAbortedError extends StoreError {
  constructor(reason?: unknown) {
    super('STORE_ABORTED', 'session store call aborted', { cause: reason });
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
