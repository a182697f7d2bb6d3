import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Exposes gc() without a command-line flag, so a heap reading means live objects, not garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap in use after full collections, in bytes. */
export async function settledHeapBytes(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}
