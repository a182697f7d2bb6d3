import type { RunContext } from '../http/run-http.ts';
import type { ScaleResult } from '../results.ts';

export async function runScale(
  _ctx: RunContext,
): Promise<{ results: ScaleResult[]; failures: string[] }> {
  return { results: [], failures: [] };
}
