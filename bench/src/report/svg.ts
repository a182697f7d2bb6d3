import type { BenchResults, CellResult } from '../results.ts';

/**
 * The bar chart of docs/benchmarks.svg, written as plain SVG text from the JSON: one panel
 * per scenario, one bar per contender (median req/s), grouped by backend, ceilings on top.
 */
const WIDTH = 1000;
const LABEL_WIDTH = 370;
const BAR_HEIGHT = 14;
const ROW = 18;
const COLORS: Record<CellResult['library'], string> = {
  hallpass: '#2f7d4f',
  'express-session': '#c0632b',
  ceiling: '#8a8f98',
};

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function renderChart(results: BenchResults): string {
  const cells = results.http.filter((c) => c.status === 'ok' && c.rps !== undefined);
  const max = Math.max(1, ...cells.map((c) => c.rps ?? 0));
  const barSpace = WIDTH - LABEL_WIDTH - 90;
  const scenarios = [
    ...new Set(results.http.filter((c) => c.library !== 'ceiling').map((c) => c.scenario)),
  ];
  const ceilings = cells.filter((c) => c.library === 'ceiling');
  const parts: string[] = [];
  let y = 56;

  const bar = (cell: CellResult, label: string) => {
    const width = Math.max(1, ((cell.rps ?? 0) / max) * barSpace);
    parts.push(
      `<text x="${LABEL_WIDTH - 8}" y="${y + 11}" text-anchor="end">${escapeXml(label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${COLORS[cell.library]}"/>`,
      `<text x="${(LABEL_WIDTH + width + 6).toFixed(1)}" y="${y + 11}">${Math.round(cell.rps ?? 0).toLocaleString('en-US')}</text>`,
    );
    y += ROW;
  };

  if (ceilings.length > 0) {
    parts.push(`<text x="10" y="${y + 11}" class="panel">Ceilings (no sessions)</text>`);
    y += ROW + 2;
    for (const cell of ceilings) bar(cell, cell.label.replace(' (ceiling)', ''));
    y += 10;
  }
  for (const scenario of scenarios) {
    const inScenario = cells.filter((c) => c.scenario === scenario && c.library !== 'ceiling');
    if (inScenario.length === 0) continue;
    const title = SCENARIO_TITLES[scenario] ?? scenario;
    parts.push(
      `<text x="10" y="${y + 11}" class="panel">${escapeXml(`${scenario}: ${title}`)}</text>`,
    );
    y += ROW + 2;
    for (const backend of [...new Set(inScenario.map((c) => c.backend))]) {
      for (const cell of inScenario.filter((c) => c.backend === backend))
        bar(cell, `${backend} · ${cell.label}`);
      y += 4;
    }
    y += 10;
  }
  const height = y + 30;
  const legend = (['hallpass', 'express-session', 'ceiling'] as const)
    .map((kind, i) => {
      const x = LABEL_WIDTH + i * 170;
      return `<rect x="${x}" y="30" width="12" height="12" fill="${COLORS[kind]}"/><text x="${x + 18}" y="40">${kind}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">
<style>.panel { font-weight: 600; font-size: 13px; } text { fill: #222; }</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="20" font-size="15" font-weight="600">hallpass vs express-session: requests per second (median of ${results.settings.rounds} rounds, higher is better)</text>
${legend}
${parts.join('\n')}
<text x="10" y="${height - 10}" fill="#555">${escapeXml(`${results.machine.cores} × ${results.machine.cpus}, Node ${results.machine.node}, ${results.settings.connections} connections, ${results.startedAt.slice(0, 10)}`)}</text>
</svg>
`;
}

export const SCENARIO_TITLES: Record<string, string> = {
  S1: 'read + write',
  S2: 'read-only',
  S3: 'sign-in',
  S4: 'read-only, idle timeout on',
};
