import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type Advisory,
  findings,
  inRange,
  runtimeDependencies,
} from '../scripts/audit-dependencies.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('offline dependency audit', () => {
  it('reads version ranges the way advisories write them', () => {
    expect(inRange('7.1.1', '<7.1.2')).toBe(true);
    expect(inRange('7.1.2', '<7.1.2')).toBe(false);
    expect(inRange('3.6.3', '>=3.0.0 <3.6.4')).toBe(true);
    expect(inRange('4.0.0', '>=3.0.0 <3.6.4')).toBe(false);
  });

  it('finds the runtime dependencies of the published packages, transitively', () => {
    const names = new Set(runtimeDependencies(root).map((pkg) => pkg.name));
    for (const expected of ['cookie', 'devalue', 'pg', 'ioredis', 'mongodb', 'fast-check']) {
      expect(names, expected).toContain(expected);
    }
    // Transitive: pg brings pg-protocol, mongodb brings bson.
    expect(names).toContain('pg-protocol');
    expect(names).toContain('bson');
  });

  it('flags an installed version inside a high advisory range, and only high or critical', () => {
    const advisories: Advisory[] = [
      { id: 'A', package: 'pg', vulnerable: '<7.1.2', severity: 'critical', title: 'rce' },
      { id: 'B', package: 'cookie', vulnerable: '<9.0.0', severity: 'low', title: 'minor' },
    ];
    const installed = [
      { name: 'pg', version: '7.0.0', via: '@hallpass/postgres' },
      { name: 'cookie', version: '0.6.0', via: '@hallpass/core' },
    ];
    expect(findings(installed, advisories)).toEqual([
      'pg@7.0.0 (via @hallpass/postgres): critical A rce',
    ]);
  });
});
