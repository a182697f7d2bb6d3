import { ConfigurationError } from './errors.js';

/** A duration as milliseconds or as text: `90s`, `15m`, `24h`, `7d`, `500ms`, `1h30m`. */
export type Duration = number | string;

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;

/** Milliseconds for a Duration; throws ConfigurationError naming `what` on anything else. */
export function toMilliseconds(value: Duration, what: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) {
      throw new ConfigurationError(`${what} must be a non-negative number of milliseconds`);
    }
    return value;
  }
  const text = value.trim().toLowerCase().replaceAll(' ', '');
  if (!WHOLE.test(text)) {
    throw new ConfigurationError(
      `${what}: cannot read duration ${JSON.stringify(value)} (use e.g. 500ms, 90s, 15m, 24h, 7d)`,
    );
  }
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) {
    total += Number(amount) * (UNIT_MS[unit as string] as number);
  }
  return Math.round(total);
}
