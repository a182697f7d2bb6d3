import { randomBytes } from 'node:crypto';

/** A key prefix no other test run uses, so runs sharing one server never see each other. */
export function uniquePrefix(label: string): string {
  return `hallpass-test-${label}-${randomBytes(6).toString('hex')}`;
}
