import { StoreAbortedError, StoreUnavailableError } from '../errors.js';

/**
 * The status an adapter answers with when hallpass itself fails: 503 ("retry later") for a store
 * that is down or did not answer within storeTimeout, 500 for anything else.
 */
export function statusFor(error: unknown): number {
  return error instanceof StoreUnavailableError || error instanceof StoreAbortedError ? 503 : 500;
}

export function messageFor(status: number): string {
  return status === 503 ? 'Service Unavailable' : 'Internal Server Error';
}

/** The default Fetch answer when a session cannot be loaded or saved: plain text, never cached. */
export function sessionErrorResponse(error: unknown): Response {
  const status = statusFor(error);
  return new Response(messageFor(status), {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}
