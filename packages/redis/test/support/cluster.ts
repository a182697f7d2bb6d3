import { describe, inject, it } from 'vitest';
import { missingServerMode } from './env.js';
import type { SharedCluster } from './shared-cluster.js';

export type ClusterNodes = Extract<SharedCluster, { nodes: unknown }>['nodes'];

/**
 * The seed nodes of the cluster globalSetup started for the run (support/shared-cluster.ts),
 * or undefined when it could not start: then the file gets, in place of its tests, a failing
 * test under CI=true and a visible skip with the reason elsewhere.
 */
export function sharedClusterNodes(suite: string): ClusterNodes | undefined {
  const cluster = inject('redisCluster');
  if ('nodes' in cluster) return cluster.nodes;
  if (missingServerMode() === 'fail') {
    it(`${suite}: the harness starts a 3-master cluster`, () => {
      throw new Error(
        `could not start a Redis Cluster from the installed redis-server (CI=true): ${cluster.error}. ` +
          'Install redis-server and redis-cli 7 (apt-get install redis-server redis-tools).',
      );
    });
  } else {
    describe.skip(`${suite} [skipped: could not start a cluster: ${cluster.error}]`, () => {
      it('conformance suite', () => {});
    });
  }
  return undefined;
}
