import { StoreAbortedError, StoreUnavailableError } from '../errors.js';

/**
 * The status an adapter answers with when hallpass itself fails: 503 ("retry later") for a store
 * that is down or did not answer within storeTimeout, 500 for anything else.
 */
export function statusFor(error: unknown): 500 | 503 {
  return error instanceof StoreUnavailableError || error instanceof StoreAbortedError ? 503 : 500;
}

export function messageFor(status: number): string {
  return status === 503 ? 'Service Unavailable' : 'Internal Server Error';
}

/** A framework-neutral error answer: plain text, never cached, no detail about the error. */
export interface ErrorAnswer {
  status: 500 | 503;
  headers: { 'content-type': string; 'cache-control': string };
  body: string;
}

/** The default answer when the session cannot be loaded or saved, or the response broke. */
export function errorAnswer(error: unknown): ErrorAnswer {
  const status = statusFor(error);
  return {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    body: messageFor(status),
  };
}

/** The default Fetch answer when a session cannot be loaded or saved: plain text, never cached. */
export function sessionErrorResponse(error: unknown): Response {
  return answerResponse(errorAnswer(error));
}

/** An ErrorAnswer as a Fetch Response. */
export function answerResponse(answer: ErrorAnswer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
