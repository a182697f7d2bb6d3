import { ConfigurationError } from '@hallpass/core';

/** Reads an optional count or duration, refusing at construction what would misbehave later. */
export function nonNegativeInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ConfigurationError(`${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}
