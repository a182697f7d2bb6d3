import type { BenchResults } from '../results.ts';
export async function writeDocs(_results: BenchResults, _root: string): Promise<void> {}
