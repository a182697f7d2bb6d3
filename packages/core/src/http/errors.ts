import { StoreUnavailableError } from '../errors.js';

/** The status an adapter answers with when hallpass itself fails: 503 means "retry later". */
export function statusFor(error: unknown): number {
  return error instanceof StoreUnavailableError ? 503 : 500;
}

export function messageFor(status: number): string {
  return status === 503 ? 'Service Unavailable' : 'Internal Server Error';
}
