import { StoreUnavailableError } from '@hallpass/core';

/** 503 tells clients and load balancers to retry later; anything else is our own bug. */
function statusFor(error: unknown): 503 | 500 {
  return error instanceof StoreUnavailableError ? 503 : 500;
}

/** The default answer when the session cannot be loaded or saved: plain text, never cached. */
export function errorResponse(error: unknown): Response {
  const status = statusFor(error);
  return new Response(status === 503 ? 'Service Unavailable' : 'Internal Server Error', {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}
