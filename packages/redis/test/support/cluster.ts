import { inject } from 'vitest';
import { reportMissingServer } from './missing-server.js';
import type { SharedCluster } from './shared-cluster.js';

export type ClusterNodes = Extract<SharedCluster, { nodes: unknown }>['nodes'];

/** How to get what a throwaway cluster needs, for the message when one cannot start. */
export const START_CLUSTER_HINT =
  'Install redis-server and redis-cli 7 (apt-get install redis-server redis-tools).';

/**
 * The seed nodes of the cluster globalSetup started for the run (support/shared-cluster.ts),
 * or undefined when it could not start: then the file gets, in place of its tests, a failing
 * test under CI=true and a visible skip with the reason elsewhere.
 */
export function sharedClusterNodes(suite: string): ClusterNodes | undefined {
  const cluster = inject('redisCluster');
  if ('nodes' in cluster) return cluster.nodes;
  reportMissingServer(suite, {
    needs: 'the harness starts a 3-master cluster',
    reason: `could not start a Redis Cluster from the installed redis-server: ${cluster.error}`,
    hint: START_CLUSTER_HINT,
  });
  return undefined;
}
