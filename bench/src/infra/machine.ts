import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/**
 * How busy the machine was around a measured round, from /proc (Linux). The benchmark's own
 * processes (this parent, the server and load generator children, the throwaway Redis and
 * PostgreSQL servers: everything descended from this process) are told apart from the rest,
 * because they alone keep the load average near the core count while a run goes on, so a
 * load-average rule would mark every round but the first.
 */
export interface MachineSample {
  load1: number;
  /** /proc/stat `cpu` line: user nice system idle iowait irq softirq steal, in ticks. */
  cpu: number[];
  /** CPU ticks (user + system) of this process and all its descendants. */
  benchTicks: number;
}

export interface MachineWindow {
  load1Before: number;
  load1After: number;
  /** Share of the machine's CPU time the hypervisor gave to others (steal), in percent. */
  stealPct: number;
  /** Share of the machine's CPU time used by processes outside the benchmark, in percent. */
  otherCpuPct: number;
  /** Measured while the machine was busy (see BUSY_RULE): read with care, or not at all. */
  busy: boolean;
}

/** The rule, stated once for the JSON, the report and METHOD.md. */
export const BUSY_OTHER_CPU_PCT = 10;
export const BUSY_STEAL_PCT = 5;
export const BUSY_RULE = `other processes used more than ${BUSY_OTHER_CPU_PCT}% of the machine's CPU during the round, or steal exceeded ${BUSY_STEAL_PCT}%`;
/** A run that starts with a 1-minute load average above half the cores starts busy. */
export const BUSY_START_LOAD_PER_CORE = 0.5;

const available = (() => {
  try {
    readFileSync('/proc/stat', 'utf8');
    return true;
  } catch {
    return false;
  }
})();

function cpuLine(): number[] {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  return line.trim().split(/\s+/).slice(1, 9).map(Number);
}

/** utime + stime of every process descended from `root` (inclusive). */
function treeTicks(root: number): number {
  const parent = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // The command name (field 2) may contain spaces: split after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(entry);
    parent.set(pid, Number(fields[1]));
    ticks.set(pid, Number(fields[11]) + Number(fields[12]));
  }
  let total = 0;
  for (const [pid, own] of ticks) {
    for (let p: number | undefined = pid; p !== undefined && p > 0; p = parent.get(p)) {
      if (p === root) {
        total += own;
        break;
      }
    }
  }
  return total;
}

export function sampleMachine(): MachineSample | null {
  if (!available) return null;
  return { load1: loadavg()[0] ?? 0, cpu: cpuLine(), benchTicks: treeTicks(process.pid) };
}

export function machineWindow(
  before: MachineSample | null,
  after: MachineSample | null,
): MachineWindow | undefined {
  if (!before || !after) return undefined;
  const delta = after.cpu.map((v, i) => v - (before.cpu[i] ?? 0));
  const [user = 0, nice = 0, system = 0, , , , , steal = 0] = delta;
  const total = delta.reduce((a, b) => a + b, 0);
  if (total <= 0) return undefined;
  const other = Math.max(0, user + nice + system - (after.benchTicks - before.benchTicks));
  const round1 = (n: number) => Math.round(n * 10) / 10;
  const stealPct = round1((steal / total) * 100);
  const otherCpuPct = round1((other / total) * 100);
  return {
    load1Before: before.load1,
    load1After: after.load1,
    stealPct,
    otherCpuPct,
    busy: otherCpuPct > BUSY_OTHER_CPU_PCT || stealPct > BUSY_STEAL_PCT,
  };
}

export function startedBusy(load1: number): boolean {
  return load1 > BUSY_START_LOAD_PER_CORE * cpus().length;
}
