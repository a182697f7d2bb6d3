import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import {
  type Advisory,
  findings,
  inRange,
  runtimeDependencies,
  type Snapshot,
  snapshotFromRegistry,
  snapshotVerdict,
  summaryLine,
  unaudited,
} from '../scripts/audit-dependencies.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = (name: string, version: string, direct = true) => ({
  name,
  version,
  via: '@hallpass/x',
  direct,
});

describe('offline dependency audit', () => {
  it('reads version ranges the way advisories write them, alternatives included', () => {
    expect(inRange('7.1.1', '<7.1.2')).toBe(true);
    expect(inRange('7.1.2', '<7.1.2')).toBe(false);
    expect(inRange('3.6.3', '>=3.0.0 <3.6.4')).toBe(true);
    expect(inRange('4.0.0', '>=3.0.0 <3.6.4')).toBe(false);
    const semverReDoS = '<=5.7.1 || >=6.0.0 <=6.3.0 || >=7.0.0 <=7.5.1';
    expect(inRange('6.2.0', semverReDoS)).toBe(true);
    expect(inRange('6.3.1', semverReDoS)).toBe(false);
    expect(inRange('7.5.1', semverReDoS)).toBe(true);
    expect(inRange('7.8.6', semverReDoS)).toBe(false);
  });

  it('finds the runtime dependencies of the published packages, transitively', () => {
    const installed = runtimeDependencies(root);
    const names = new Set(installed.map((p) => p.name));
    for (const expected of ['cookie', 'devalue', 'pg', 'ioredis', 'mongodb', 'fast-check']) {
      expect(names, expected).toContain(expected);
    }
    // Transitive: pg brings pg-protocol, mongodb brings bson.
    expect(names).toContain('pg-protocol');
    expect(names).toContain('bson');
    expect(installed.find((p) => p.name === 'cookie')?.direct).toBe(true);
    expect(installed.find((p) => p.name === 'pg-protocol')?.direct).toBe(false);
  });

  it('flags an installed version inside a high advisory range, and only high or critical', () => {
    const advisories: Advisory[] = [
      {
        id: 'A',
        package: 'pg',
        vulnerable: '<7.1.2',
        severity: 'critical',
        title: 'rce',
        source: 's',
      },
      {
        id: 'B',
        package: 'cookie',
        vulnerable: '<9.0.0',
        severity: 'low',
        title: 'minor',
        source: 's',
      },
    ];
    const installed = [pkg('pg', '7.0.0'), pkg('cookie', '0.6.0')];
    expect(findings(installed, advisories)).toEqual(['pg@7.0.0 (via @hallpass/x): critical A rce']);
  });

  it('reports every runtime package the snapshot does not cover as unaudited', () => {
    const snapshot: Snapshot = {
      date: '2026-11-30',
      method: 'm',
      covers: ['cookie'],
      advisories: [],
    };
    const installed = [pkg('cookie', '2.0.2'), pkg('pg', '8.0.0'), pkg('pg-types', '2.2.0', false)];
    expect(unaudited(installed, snapshot)).toEqual(['pg-types@2.2.0', 'pg@8.0.0']);

    const lenient = snapshotVerdict(installed, snapshot, { strict: false, registryError: '405' });
    expect(lenient.ok).toBe(true);
    expect(summaryLine(lenient)).toBe(
      'dependency audit: REGISTRY UNREACHABLE, used the snapshot of 2026-11-30: 0 high/critical; covers 1 of 3 runtime packages, 2 UNAUDITED',
    );
    expect(snapshotVerdict(installed, snapshot, { strict: true, registryError: '405' }).ok).toBe(
      false,
    );
  });

  it('fails on a high advisory in the snapshot whatever the strictness', () => {
    const snapshot: Snapshot = {
      date: '2026-11-30',
      method: 'm',
      covers: ['devalue'],
      advisories: [
        {
          id: 'H',
          package: 'devalue',
          vulnerable: '<5.3.2',
          severity: 'high',
          title: 't',
          source: 's',
        },
      ],
    };
    const verdict = snapshotVerdict([pkg('devalue', '5.1.1')], snapshot, {
      strict: false,
      registryError: '405',
    });
    expect(verdict.ok).toBe(false);
    expect(verdict.findings).toHaveLength(1);
    expect(summaryLine(verdict)).toContain('1 high/critical');
  });

  it('refreshes the snapshot from registry output, covering the whole runtime tree', () => {
    const snapshot = snapshotFromRegistry(
      {
        advisories: {
          '1': {
            module_name: 'devalue',
            vulnerable_versions: '<5.3.2',
            severity: 'high',
            github_advisory_id: 'GHSA-vj54-72f3-p5jv',
            url: 'https://github.com/advisories/GHSA-vj54-72f3-p5jv',
            title: 'proto',
          },
        },
      },
      [pkg('devalue', '6.0.3'), pkg('cookie', '2.0.2')],
      '2027-01-01',
    );
    expect(snapshot.covers).toEqual(['cookie', 'devalue']);
    expect(snapshot.advisories[0]).toMatchObject({
      id: 'GHSA-vj54-72f3-p5jv',
      vulnerable: '<5.3.2',
    });
    expect(snapshot.date).toBe('2027-01-01');
  });

  it('the checked-in snapshot is dated, names what it covers, and cites a GHSA id and source per entry', () => {
    const snapshot = JSON.parse(
      readFileSync(resolve(root, 'reliability/advisories.json'), 'utf8'),
    ) as Snapshot;
    expect(snapshot.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(snapshot.covers.length).toBeGreaterThan(0);
    for (const advisory of snapshot.advisories) {
      expect(advisory.id).toMatch(/^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/);
      expect(advisory.source).toMatch(/^https:\/\//);
      expect(snapshot.covers, advisory.package).toContain(advisory.package);
      expect(semver.validRange(advisory.vulnerable), advisory.id).not.toBeNull();
    }
  });
});
