/** The median of the rounds: robust to one round hit by a noisy neighbour. */
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function ratio(a: number | undefined, b: number | undefined): number | null {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) {
    return null;
  }
  return a / b;
}

/** Store writes per request over a cell's measured rounds (warm-up excluded). */
export function roundsWritesPerRequest(cell: {
  rounds: Array<{ writes: number; requests: number }>;
}): number | undefined {
  const requests = cell.rounds.reduce((sum, r) => sum + r.requests, 0);
  if (requests === 0) return undefined;
  return cell.rounds.reduce((sum, r) => sum + r.writes, 0) / requests;
}
