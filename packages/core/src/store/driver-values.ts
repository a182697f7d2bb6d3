// What SQL drivers hand back for a BIGINT column: pg a numeric string, mysql2 a bigint (with
// supportBigNumbers) or a number; better-sqlite3 and the in-process stores a number.
const NUMERIC = /^-?\d+(\.\d+)?$/;

/**
 * A stored time or version as a number; NaN for anything else. Only plain decimal text counts:
 * `Number()` alone would also read '', ' 12 ', '0x10' and '1e3' as numbers.
 */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  return Number.NaN;
}
