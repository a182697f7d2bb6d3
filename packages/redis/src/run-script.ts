import type { ClientAdapter } from './clients/index.js';
import { isNoScript } from './errors.js';
import type { ScriptDef } from './scripts.js';

/**
 * Runs a single-key script by EVALSHA, and by EVAL on a node that does not know it yet (each
 * cluster node has its own script cache, emptied on restart); EVAL also caches it there, so
 * the next call is an EVALSHA again. Replies keep bulk strings as Buffers.
 */
export async function runScript(
  client: ClientAdapter,
  script: ScriptDef,
  key: string,
  args: Array<string | Buffer>,
): Promise<unknown> {
  try {
    return await client.evalsha(script.sha, key, args);
  } catch (error) {
    if (!isNoScript(error)) throw error;
    return await client.eval(script.lua, key, args);
  }
}
