/** The shape of bench/results/*.json: everything the markdown page and the chart are built from. */
import type { MachineWindow } from './infra/machine.ts';

export interface RoundResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Store writes (hallpass create/update/touch/delete, express-session set/touch/destroy). */
  writes: number;
  reads: number;
  /**
   * CPU time (user + system) the server process spent per request. Much less sensitive to a
   * busy machine than req/s; it includes the store client's work but not a database server's.
   */
  cpuMicrosPerRequest: number;
  /** Load average, steal and other processes' CPU around the round, and whether it was busy. */
  machine?: MachineWindow;
}

export interface CellResult {
  contender: string;
  label: string;
  backend: string;
  library: 'hallpass' | 'express-session' | 'ceiling';
  scenario: string;
  status: 'ok' | 'skipped' | 'failed';
  reason?: string;
  rounds: RoundResult[];
  /** Medians over the measured rounds. */
  rps?: number;
  /** The spread of the measured rounds' req/s. */
  rpsMin?: number;
  rpsMax?: number;
  /** Measured rounds taken while the machine was busy (see machine.ts for the rule). */
  busyRounds?: number;
  p50?: number;
  p99?: number;
  cpuMicrosPerRequest?: number;
  /** Store writes per request over the whole cell, warm-up included (the conservative figure). */
  writesPerRequest?: number;
  /** Requests and store writes over the whole cell, and how many distinct session ids were written. */
  requests?: number;
  writes?: number;
  sessionsWritten?: number;
  /**
   * Store round trips per request, counted at the client during a sequential probe (one
   * request at a time, after the measured rounds): see http/round-trips.ts.
   */
  roundTripsPerRequest?: number;
  /** Store writes per request over the measured rounds only (S4's steady state). */
  roundsWritesPerRequest?: number;
  /** S4: virtual seconds the injected clock covered over the whole cell. */
  virtualSeconds?: number;
}

export interface MicroResult {
  backend: string;
  /** `hallpass`, or the raw driver: `ioredis`, `node-redis`, `pg`, `better-sqlite3`. */
  client: string;
  op: 'find' | 'create' | 'update' | 'touch' | 'delete';
  mode: 'sequential' | 'concurrent';
  opsPerSec: number;
}

export interface ScaleResult {
  check: string;
  backend: string;
  [key: string]: string | number | null;
}

export interface BenchResults {
  profile: string;
  startedAt: string;
  finishedAt: string;
  durationSec: number;
  machine: {
    cpus: string;
    cores: number;
    memoryGiB: number;
    os: string;
    node: string;
    loadAverageAtStart: number[];
    /** 1-minute load average above half the cores when the run started. */
    startedBusy?: boolean;
    /** When a round counts as measured on a busy machine. */
    busyRule?: string;
  };
  settings: Record<string, number | string>;
  versions: Record<string, string>;
  notes: string[];
  http: CellResult[];
  micro: MicroResult[];
  microSkipped: Array<{ backend: string; reason: string }>;
  scale: ScaleResult[];
  failures: string[];
}
