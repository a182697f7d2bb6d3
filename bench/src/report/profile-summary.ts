/**
 * Summarises a server child's CPU profile (`pnpm bench --cpu-prof=DIR ...`) for the analysis
 * on docs/benchmarks.md: where the time of serving requests goes, by package and by function.
 * Start-up (module loading) and seeding are left out, so only steady-state serving remains.
 *
 *   node bench/src/report/profile-summary.ts DIR/memory-hallpass.cpuprofile [top]
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Frames whose presence on the stack marks a sample as start-up or seeding, not serving. */
const EXCLUDED = [
  /wrapModuleLoad|compileForInternalLoader|loadAndTranslate|run_main|moduleEvaluation/,
  /seed\.ts|server-child\.ts:\d+ setup|^setup$/,
];

function packageOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  const dep = url.match(/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/);
  if (dep) return dep[1] as string;
  const ws = url.match(/\/packages\/([^/]+)\//);
  if (ws) return `@hallpass/${ws[1]}`;
  if (url.includes('/bench/')) return 'bench harness';
  if (url.startsWith('node:'))
    return `node (${url.replace(/^node:(internal\/)?/, '').split('/')[0]})`;
  return functionName ? `(${functionName.replace(/[()]/g, '')})` : '(native)';
}

export function summarise(profile: Profile, top = 15): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const excluded = new Map<number, boolean>();
  const isExcluded = (id: number): boolean => {
    const known = excluded.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id) as ProfileNode;
    const label = `${node.callFrame.url}:${node.callFrame.lineNumber} ${node.callFrame.functionName}`;
    const up = parent.get(id);
    const result =
      EXCLUDED.some((re) => re.test(label) || re.test(node.callFrame.functionName)) ||
      (up !== undefined && isExcluded(up));
    excluded.set(id, result);
    return result;
  };
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id) as ProfileNode;
    if (node.callFrame.functionName === '(idle)' || isExcluded(id)) return;
    total += dt;
    const pkg = packageOf(node.callFrame);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + dt);
    const f = node.callFrame;
    const where = f.url.replace(/.*node_modules\//, '').replace(/.*\/(packages|bench)\//, '$1/');
    const fn = `${f.functionName || '(anonymous)'} ${where}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + dt);
  });
  const rows = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, t]) => `${((t / total) * 100).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  return `busy time while serving: ${(total / 1e6).toFixed(2)} s\n\nself time by package:\n${rows(byPackage)}\n\nself time by function:\n${rows(byFunction)}\n`;
}

if (import.meta.main) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node bench/src/report/profile-summary.ts FILE.cpuprofile [top]');
    process.exit(2);
  }
  console.log(summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(top ?? 15)));
}
