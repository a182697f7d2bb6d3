import type { RunContext } from '../http/run-http.ts';
import type { MicroResult } from '../results.ts';

export async function runMicro(_ctx: RunContext): Promise<{
  results: MicroResult[];
  skipped: Array<{ backend: string; reason: string }>;
  failures: string[];
}> {
  return { results: [], skipped: [], failures: [] };
}
