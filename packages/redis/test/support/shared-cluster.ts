import { startRedisCluster } from '@hallpass/test-support';
import type { TestProject } from 'vitest/node';

/** What the test files get from `inject('redisCluster')`. */
export type SharedCluster = { nodes: Array<{ host: string; port: number }> } | { error: string };

declare module 'vitest' {
  export interface ProvidedContext {
    redisCluster: SharedCluster;
  }
}

/**
 * vitest globalSetup: one throwaway 3-master Redis Cluster for every test file that only reads
 * and writes keys on it (each under a prefix of its own), instead of one cluster per file: a
 * cluster takes seconds to form. A file that kills nodes (cluster-fault) starts its own.
 * When it cannot start, the files get the reason (skipped locally, failed under CI=true).
 */
export default async function setup(project: TestProject) {
  try {
    const cluster = await startRedisCluster(3);
    project.provide('redisCluster', { nodes: cluster.nodes });
    return () => cluster.stop();
  } catch (error) {
    project.provide('redisCluster', { error: String(error) });
    return undefined;
  }
}
