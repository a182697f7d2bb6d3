/** Finds the handler for a command (its first field) and turns failures into error replies. */
import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import type { CommandContext, CommandHandler } from './context.js';
import { ddlCommands } from './ddl.js';
import { handshakeCommands } from './handshake.js';
import { readCommands } from './read.js';
import { writeCommands } from './write.js';

const handlers: Record<string, CommandHandler> = {
  ...handshakeCommands,
  ...readCommands,
  ...writeCommands,
  ...ddlCommands,
};

/** The commands this server answers; anything else gets CommandNotFound (code 59). */
export const supportedCommands = Object.keys(handlers).sort();

export function runCommand(command: Document, context: CommandContext): Document {
  const name = Object.keys(command)[0] ?? '';
  const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
  try {
    if (!handler) {
      throw new CommandError(59, 'CommandNotFound', `no such command: '${name}'`);
    }
    return handler(command, context);
  } catch (error) {
    if (error instanceof CommandError) return error.toReply();
    return {
      ok: 0,
      errmsg: `internal error in test server: ${(error as Error).message}`,
      code: 1,
      codeName: 'InternalError',
    };
  }
}
