/**
 * The two run profiles. Full is what docs/benchmarks.md reports (under 15 minutes on the
 * 2-core reference machine); quick is the CI smoke test (under 2 minutes): every contender
 * and scenario still runs, just briefly and with fewer sessions, and no speed is asserted.
 */
export interface Profile {
  name: 'full' | 'quick';
  /** Sessions seeded before a read scenario; each request picks one at random. */
  sessions: number;
  /** Load generator connections, the same for every contender. */
  connections: number;
  warmupSec: number;
  rounds: number;
  roundSec: number;
  /** When set, a round is this many requests instead of roundSec seconds (the smoke test). */
  roundRequests?: number;
  /**
   * S4 (injected clock): seeded sessions, warm-up and round length in requests. The warm-up
   * covers more than one touchAfter of virtual time, so the rounds measure the steady state.
   */
  s4Sessions: number;
  s4WarmupRequests: number;
  s4RoundRequests: number;
  /** Sequential requests per cell for counting store round trips (after a few unmeasured). */
  probeRequests: number;
  /** Store microbenchmark: most operations per measurement, and its time budget. */
  microOps: number;
  microBudgetMs: number;
  /** Measured repetitions per client (after one discarded warm-up pass); the median is kept. */
  microRepetitions: number;
  /** Concurrency of the concurrent microbenchmark. */
  microConcurrency: number;
  /** Scale checks: the small and the large total session count. */
  scaleSmall: number;
  scaleLarge: number;
  /** Expired rows deleted by the SQL cleanup check. */
  cleanupRows: number;
}

export const PROFILES: Record<Profile['name'], Profile> = {
  full: {
    name: 'full',
    sessions: 10_000,
    connections: 32,
    warmupSec: 1.5,
    rounds: 3,
    roundSec: 1.5,
    s4Sessions: 200,
    s4WarmupRequests: 5_000,
    s4RoundRequests: 2_000,
    probeRequests: 50,
    microOps: 20_000,
    microBudgetMs: 300,
    microRepetitions: 3,
    microConcurrency: 64,
    scaleSmall: 10_000,
    scaleLarge: 1_000_000,
    cleanupRows: 1_000_000,
  },
  quick: {
    name: 'quick',
    sessions: 200,
    connections: 32,
    warmupSec: 0,
    rounds: 1,
    roundSec: 1,
    roundRequests: 100,
    s4Sessions: 10,
    s4WarmupRequests: 200,
    s4RoundRequests: 100,
    probeRequests: 10,
    microOps: 200,
    microBudgetMs: 50,
    microRepetitions: 1,
    microConcurrency: 64,
    scaleSmall: 500,
    scaleLarge: 5_000,
    cleanupRows: 5_000,
  },
};

export interface CliOptions {
  profile: Profile;
  /** Run only these sections. */
  sections: Set<Section>;
  /** Restrict to backends (memory, redis, postgres, mysql, sqlite, mongodb). */
  backends: Set<string> | null;
  /** Restrict to scenarios (S1..S4). */
  scenarios: Set<string> | null;
  /** Record a CPU profile of each server child into this folder. */
  cpuProfDir: string | null;
  /** Skip building the workspace packages first. */
  noBuild: boolean;
  /** Regenerate docs from the committed JSON without running anything. */
  reportOnly: boolean;
}

export type Section = 'http' | 'micro' | 'scale';
const ALL_SECTIONS: Section[] = ['http', 'micro', 'scale'];

function listArg(args: string[], name: string): Set<string> | null {
  const found = args.find((arg) => arg.startsWith(`--${name}=`));
  if (!found) return null;
  return new Set(
    found
      .slice(name.length + 3)
      .split(',')
      .filter(Boolean),
  );
}

export function parseArgs(argv: string[]): CliOptions {
  // pnpm passes a literal "--" through when args follow the script name.
  const args = argv.filter((arg) => arg !== '--');
  const known = /^--(quick|no-build|report-only|only|backends|scenarios|cpu-prof)(=|$)/;
  const unknown = args.filter((arg) => !known.test(arg));
  if (unknown.length > 0) {
    throw new Error(
      `unknown argument(s) ${unknown.join(' ')}\n` +
        'usage: pnpm bench [--quick] [--only=http,micro,scale] [--backends=memory,redis,postgres,mysql,sqlite]\n' +
        '                  [--scenarios=S1,S2,S3,S4] [--cpu-prof=DIR] [--no-build] [--report-only]',
    );
  }
  const only = listArg(args, 'only');
  const cpuProf = args.find((arg) => arg.startsWith('--cpu-prof='));
  return {
    profile: PROFILES[args.includes('--quick') ? 'quick' : 'full'],
    sections: new Set((only ? [...only] : ALL_SECTIONS) as Section[]),
    backends: listArg(args, 'backends'),
    scenarios: listArg(args, 'scenarios'),
    cpuProfDir: cpuProf ? cpuProf.slice('--cpu-prof='.length) : null,
    noBuild: args.includes('--no-build'),
    reportOnly: args.includes('--report-only'),
  };
}
