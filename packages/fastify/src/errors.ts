import { StoreUnavailableError } from '@hallpass/core';

/** 503 tells clients and load balancers to retry later; anything else is our own bug. */
export function statusFor(error: unknown): number {
  return error instanceof StoreUnavailableError ? 503 : 500;
}

export function messageFor(status: number): string {
  return status === 503 ? 'Service Unavailable' : 'Internal Server Error';
}
