/** Reads: find + getMore + killCursors, count, and the small part of aggregate mingo gives us. */
import type { Document } from 'bson';
import { Aggregator } from 'mingo';
import { assertCollectionName } from '../catalog.js';
import { badValue, CommandError } from '../errors.js';
import { type CommandHandler, optionalCount } from './context.js';

const find: CommandHandler = (command, context) => {
  const name = assertCollectionName(command.find);
  const namespace = `${context.database}.${name}`;
  const collection = context.catalog.get(context.database, name);
  const rawLimit = Number(command.limit ?? 0);
  const documents =
    collection?.find(command.filter ?? {}, {
      sort: command.sort,
      skip: optionalCount(command.skip),
      limit: optionalCount(command.limit) || undefined,
      projection: command.projection,
    }) ?? [];
  // A negative limit or singleBatch means "one batch, no cursor" (findOne sends singleBatch).
  const single = command.singleBatch === true || rawLimit < 0;
  const batchSize = single ? documents.length : optionalCount(command.batchSize);
  return { cursor: context.cursors.open(namespace, documents, batchSize || undefined), ok: 1 };
};

const getMore: CommandHandler = (command, context) => {
  const id = Number(command.getMore);
  const cursor = context.cursors.next(id, optionalCount(command.batchSize));
  if (!cursor) throw new CommandError(43, 'CursorNotFound', `cursor id ${id} not found`);
  return { cursor, ok: 1 };
};

const killCursors: CommandHandler = (command, context) => {
  const ids = Array.isArray(command.cursors) ? command.cursors.map(Number) : [];
  const { killed, notFound } = context.cursors.kill(ids);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], ok: 1 };
};

const count: CommandHandler = (command, context) => {
  const collection = context.catalog.get(context.database, assertCollectionName(command.count));
  let n = collection?.find(command.query ?? {}).length ?? 0;
  n = Math.max(0, n - (optionalCount(command.skip) ?? 0));
  const limit = optionalCount(command.limit);
  if (limit) n = Math.min(n, limit);
  return { n, ok: 1 };
};

/**
 * Runs the pipeline with mingo over the whole collection, which covers what the driver's
 * countDocuments sends ($match, $skip, $limit, $group with $sum). Stages that write ($out,
 * $merge) or need the server ($lookup into other collections, $changeStream) are refused.
 */
const aggregate: CommandHandler = (command, context) => {
  const name = assertCollectionName(command.aggregate);
  const pipeline = command.pipeline;
  if (!Array.isArray(pipeline)) throw badValue("'pipeline' option must be specified as an array");
  for (const stage of pipeline as Document[]) {
    const operator = Object.keys(stage)[0] ?? '';
    if (['$out', '$merge', '$lookup', '$changeStream', '$unionWith'].includes(operator)) {
      throw new CommandError(
        40324,
        'Location40324',
        `${operator} is not supported by the test server`,
      );
    }
  }
  const collection = context.catalog.get(context.database, name);
  const input = collection?.find({}) ?? [];
  const documents = new Aggregator(pipeline).run(input) as Document[];
  const batchSize = optionalCount((command.cursor as Document | undefined)?.batchSize);
  const cursor = context.cursors.open(`${context.database}.${name}`, documents, batchSize);
  return { cursor, ok: 1 };
};

export const readCommands: Record<string, CommandHandler> = {
  find,
  getMore,
  killCursors,
  count,
  aggregate,
};
