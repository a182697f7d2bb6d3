import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackendEnv } from '../backends/types.ts';
import type { Profile } from '../config.ts';
import type { Child } from '../infra/child.ts';
import { machineWindow, sampleMachine } from '../infra/machine.ts';
import type { CellResult, RoundResult } from '../results.ts';
import { median, roundsWritesPerRequest } from '../stats.ts';
import type { Scenario } from './scenarios.ts';

export interface CellSpec {
  contender: string;
  label: string;
  backend: string;
  library: CellResult['library'];
  scenario: Scenario;
}

interface Stats {
  cpuMicros: number;
  distinctWritten: number;
  requests: number;
  failures: number;
  reads: number;
  writes: number;
  roundTrips: number;
  virtualMs: number;
}

/** How long a cell's rounds are: S4 counts requests (its clock advances per request). */
function roundShape(profile: Profile, scenario: Scenario) {
  if (scenario.id === 'S4') {
    return {
      sessions: profile.s4Sessions,
      warmup: { durationSec: 0, amount: profile.s4WarmupRequests },
      round: { durationSec: 0, amount: profile.s4RoundRequests },
    };
  }
  return {
    sessions: profile.sessions,
    warmup:
      profile.warmupSec > 0 ? { durationSec: profile.warmupSec, amount: undefined } : undefined,
    round: { durationSec: profile.roundSec, amount: profile.roundRequests },
  };
}

/**
 * One cell: a contender's server child serving one scenario. The HTTP runner drives several
 * cells of one backend and scenario in turn (setup, warm-up, then round 1 of each, round 2 of
 * each, ...), so a slow minute on the machine hits every contender alike. Store calls and CPU
 * time are read from the server child around each round, and the machine's load around it.
 * Any non-2xx answer, socket error or timeout fails the cell.
 */
export class Cell {
  readonly result: CellResult;
  readonly #shape: ReturnType<typeof roundShape>;
  readonly #cookieFile: string;
  #url = '';
  #setUp = false;
  #start: Stats | null = null;
  #problems: string[] = [];

  readonly spec: CellSpec;
  readonly profile: Profile;
  readonly env: BackendEnv;
  readonly server: Child;
  readonly load: Child;

  constructor(spec: CellSpec, profile: Profile, env: BackendEnv, server: Child, load: Child) {
    this.spec = spec;
    this.env = env;
    this.profile = profile;
    this.server = server;
    this.load = load;
    this.result = {
      contender: spec.contender,
      label: spec.label,
      backend: spec.backend,
      library: spec.library,
      scenario: spec.scenario.id,
      status: 'ok',
      rounds: [],
    };
    this.#shape = roundShape(profile, spec.scenario);
    this.#cookieFile = join(env.dataDir, `${env.namespace}.cookies`);
  }

  get active(): boolean {
    return this.result.status === 'ok';
  }

  async setup(): Promise<void> {
    await this.#guard(async () => {
      const first = await this.server.request(
        {
          type: 'setup',
          contenderId: this.spec.contender,
          scenario: this.spec.scenario.id,
          sessions: this.#shape.sessions,
          cookieFile: this.#cookieFile,
          env: this.env,
        },
        ['ready', 'unavailable'],
      );
      if (first.type === 'unavailable') {
        Object.assign(this.result, { status: 'skipped', reason: String(first.reason) });
        return;
      }
      this.#setUp = true;
      this.#url = `http://127.0.0.1:${first.port}/`;
      this.#start = await this.#stats();
    });
  }

  async warmup(): Promise<void> {
    const { warmup } = this.#shape;
    if (warmup)
      await this.#guard(() => this.#run(warmup.durationSec, warmup.amount).then(() => {}));
  }

  async round(): Promise<void> {
    await this.#guard(async () => {
      const machineBefore = sampleMachine();
      const before = await this.#stats();
      const { round: shape } = this.#shape;
      const result = await this.#run(shape.durationSec, shape.amount);
      const after = await this.#stats();
      const requests = after.requests - before.requests;
      const round: RoundResult = {
        rps: Number(result.rps),
        p50: Number(result.p50),
        p99: Number(result.p99),
        requests,
        writes: after.writes - before.writes,
        reads: after.reads - before.reads,
        cpuMicrosPerRequest: (after.cpuMicros - before.cpuMicros) / Math.max(1, requests),
      };
      const machine = machineWindow(machineBefore, sampleMachine());
      if (machine) round.machine = machine;
      this.result.rounds.push(round);
    });
  }

  /** Round trips per request: sequential requests after the rounds, counted in the server. */
  async probe(): Promise<void> {
    if (this.spec.library === 'ceiling') return;
    await this.#guard(async () => {
      const probed = await this.server.request(
        { type: 'probe', count: this.profile.probeRequests },
        'probed',
      );
      this.result.roundTripsPerRequest = Number(probed.perRequest);
    });
  }

  /** Summarises the rounds (when the cell is still ok) and tears the server down. */
  async finish(): Promise<CellResult> {
    await this.#guard(async () => {
      const start = this.#start;
      if (!start) return;
      const end = await this.#stats();
      if (end.failures > start.failures) {
        this.#problems.push(`server answered ${end.failures - start.failures} errors`);
      }
      if (this.#problems.length > 0) throw new Error(this.#problems.join('; '));
      const rounds = this.result.rounds;
      const handled = end.requests - start.requests;
      const rps = rounds.map((r) => r.rps);
      Object.assign(this.result, {
        rps: median(rps),
        rpsMin: Math.min(...rps),
        rpsMax: Math.max(...rps),
        busyRounds: rounds.filter((r) => r.machine?.busy).length,
        p50: median(rounds.map((r) => r.p50)),
        p99: median(rounds.map((r) => r.p99)),
        cpuMicrosPerRequest: median(rounds.map((r) => r.cpuMicrosPerRequest)),
        writesPerRequest: handled > 0 ? (end.writes - start.writes) / handled : 0,
        roundsWritesPerRequest: roundsWritesPerRequest(this.result),
        writes: end.writes - start.writes,
        sessionsWritten: end.distinctWritten - start.distinctWritten,
        requests: handled,
        ...(end.virtualMs > 0 ? { virtualSeconds: Math.round(end.virtualMs / 1000) } : {}),
      });
    });
    if (this.#setUp) await this.server.request({ type: 'teardown' }, 'torn-down').catch(() => {});
    await rm(this.#cookieFile, { force: true });
    return this.result;
  }

  async #stats(): Promise<Stats> {
    return (await this.server.request({ type: 'stats' }, 'stats')) as unknown as Stats;
  }

  async #run(durationSec: number, amount?: number) {
    await this.load.request(
      {
        type: 'init',
        url: this.#url,
        cookieFile: this.#cookieFile,
        connections: this.profile.connections,
      },
      'ready',
    );
    const result = await this.load.request({ type: 'run', durationSec, amount }, 'result');
    const bad = Number(result.non2xx) + Number(result.errors) + Number(result.timeouts);
    if (bad > 0) {
      this.#problems.push(
        `${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
      );
    }
    if (Number(result.requests) === 0) this.#problems.push('no request completed');
    return result;
  }

  /** Runs a step unless the cell already stopped; a thrown error fails the cell. */
  async #guard(step: () => Promise<void>): Promise<void> {
    if (!this.active) return;
    try {
      await step();
    } catch (error) {
      Object.assign(this.result, {
        status: 'failed',
        reason: (error as Error).message.slice(0, 2000),
      });
    }
  }
}
