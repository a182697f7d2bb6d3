// Adds up the JSON reports every package's `vitest run` leaves behind and prints the plain
// closing line CI reads: "N passed, N failed, N skipped". Exits non-zero when nothing ran.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const reports = [];
for (const group of ['packages', 'examples', '.']) {
  const base = join(root, group);
  const dirs = group === '.' ? ['conformance', 'reliability'] : readdirSync(base);
  for (const dir of dirs) {
    const file = join(base, dir, '.vitest-report.json');
    try {
      if (statSync(file).isFile())
        reports.push({ name: dir, report: JSON.parse(readFileSync(file, 'utf8')) });
    } catch {}
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const { name, report } of reports) {
  const p = report.numPassedTests ?? 0;
  const f = report.numFailedTests ?? 0;
  const s = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  console.log(
    `${name.padEnd(16)} ${String(p).padStart(5)} passed ${String(f).padStart(3)} failed ${String(s).padStart(3)} skipped`,
  );
  passed += p;
  failed += f;
  skipped += s;
}
// The dependency audit's verdict (written by reliability/scripts/audit-dependencies.ts), so a
// run that fell back to the checked-in advisory snapshot says so where CI's result is read.
try {
  const audit = JSON.parse(readFileSync(join(root, 'reliability/.audit-summary.json'), 'utf8'));
  console.log(audit.line);
} catch {
  console.log('dependency audit: not run (no reliability/.audit-summary.json)');
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(passed > 0 && failed === 0 ? 0 : 1);
