import { describe, expect, it } from 'vitest';
import { ConfigurationError, toMilliseconds } from '../src/index.js';

describe('toMilliseconds', () => {
  it.each([
    [0, 0],
    [1500, 1500],
    ['500ms', 500],
    ['90s', 90_000],
    ['15m', 900_000],
    ['24h', 86_400_000],
    ['7d', 604_800_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    [' 2H ', 7_200_000],
  ])('reads %j as %d ms', (input, expected) => {
    expect(toMilliseconds(input, 'x')).toBe(expected);
  });

  it.each(['', '15', 'm', '15 minutes', '-5m', '1y', 'NaN'])(
    'refuses %j naming the option',
    (input) => {
      expect(() => toMilliseconds(input, 'idleTimeout')).toThrow(ConfigurationError);
      expect(() => toMilliseconds(input, 'idleTimeout')).toThrow(/idleTimeout/);
    },
  );

  it('refuses negative and non-finite numbers', () => {
    expect(() => toMilliseconds(-1, 'lifetime')).toThrow(ConfigurationError);
    expect(() => toMilliseconds(Number.POSITIVE_INFINITY, 'lifetime')).toThrow(ConfigurationError);
  });
});
