import type { RedisClient } from './client.js';
import { isNoScript } from './errors.js';
import type { ScriptDef } from './scripts.js';

/** The Buffer variants ioredis generates for every command, not all of which are typed. */
interface ScriptingCommands {
  evalshaBuffer(
    sha: string,
    keys: 1,
    key: string,
    ...args: Array<string | Buffer>
  ): Promise<unknown>;
  evalBuffer(lua: string, keys: 1, key: string, ...args: Array<string | Buffer>): Promise<unknown>;
}

/**
 * Runs a single-key script by EVALSHA, and by EVAL on a node that does not know it yet (each
 * cluster node has its own script cache, emptied on restart). Replies keep bulk strings as
 * Buffers. callBuffer is not used: ioredis 6 breaks it under enableAutoPipelining.
 */
export async function runScript(
  client: RedisClient,
  script: ScriptDef,
  key: string,
  args: Array<string | Buffer>,
): Promise<unknown> {
  const commands = client as unknown as ScriptingCommands;
  try {
    return await commands.evalshaBuffer(script.sha, 1, key, ...args);
  } catch (error) {
    if (!isNoScript(error)) throw error;
    return await commands.evalBuffer(script.lua, 1, key, ...args);
  }
}
