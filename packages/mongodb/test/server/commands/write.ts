/**
 * Writes: insert, update (with upsert and multi), delete, findAndModify. Each statement is
 * applied whole or not at all; per-statement failures are reported in `writeErrors` and stop
 * an ordered batch, like mongod.
 */
import type { Document } from 'bson';
import { find as mingoFind } from 'mingo';
import type { Collection } from '../collection.js';
import { badValue, CommandError, failedToParse } from '../errors.js';
import { applyUpdate, sameDocument, upsertSeed } from '../update.js';
import type { CommandContext, CommandHandler } from './context.js';

function statements(command: Document, field: string): Document[] {
  const list = command[field];
  if (!Array.isArray(list)) throw failedToParse(`'${field}' must be an array`);
  return list as Document[];
}

/** Runs each statement, collecting write errors; an ordered batch stops at the first. */
function runBatch(
  items: Document[],
  ordered: boolean,
  apply: (item: Document, index: number) => void,
): Document[] {
  const writeErrors: Document[] = [];
  for (const [index, item] of items.entries()) {
    try {
      apply(item, index);
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      writeErrors.push(error.toWriteError(index));
      if (ordered) break;
    }
  }
  return writeErrors;
}

function withErrors(reply: Document, writeErrors: Document[]): Document {
  return writeErrors.length > 0 ? { ...reply, writeErrors, ok: 1 } : { ...reply, ok: 1 };
}

const insert: CommandHandler = (command, context) => {
  const documents = statements(command, 'documents');
  const collection = context.catalog.ensure(context.database, command.insert);
  let n = 0;
  const writeErrors = runBatch(documents, command.ordered !== false, (document) => {
    collection.insert(document);
    n++;
  });
  return withErrors({ n }, writeErrors);
};

interface UpdateOutcome {
  matched: number;
  modified: number;
  upsertedId?: unknown;
  before?: Document | undefined;
  after?: Document | undefined;
}

/** One update statement against a collection: the shared core of update and findAndModify. */
function updateOne(
  collection: Collection,
  filter: Document,
  update: unknown,
  options: { upsert?: boolean; multi?: boolean; sort?: Document; arrayFilters?: Document[] },
): UpdateOutcome {
  const targets = collection.find(filter, {
    sort: options.sort,
    limit: options.multi ? undefined : 1,
  });
  if (targets.length === 0) {
    if (!options.upsert) return { matched: 0, modified: 0 };
    const created = applyUpdate(upsertSeed(filter), update, {
      inserting: true,
      arrayFilters: options.arrayFilters,
    });
    const stored = collection.insert(created);
    return { matched: 0, modified: 0, upsertedId: stored._id, after: stored };
  }
  let modified = 0;
  let before: Document | undefined;
  let after: Document | undefined;
  for (const target of targets) {
    const next = applyUpdate(target, update, {
      inserting: false,
      arrayFilters: options.arrayFilters,
    });
    // Like mongod, an update that changes nothing is matched but not modified (a conditional
    // pipeline update relies on this to report "condition false").
    if (!sameDocument(target, next)) {
      collection.replace(target, next);
      modified++;
    }
    before ??= target;
    after ??= next;
  }
  return { matched: targets.length, modified, before, after };
}

const update: CommandHandler = (command, context) => {
  const updates = statements(command, 'updates');
  const collection = context.catalog.ensure(context.database, command.update);
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const writeErrors = runBatch(updates, command.ordered !== false, (statement, index) => {
    if (statement.multi && !Array.isArray(statement.u) && !isOperatorUpdate(statement.u)) {
      throw failedToParse('multi update is not supported for replacement-style update');
    }
    const outcome = updateOne(collection, statement.q ?? {}, statement.u, {
      upsert: statement.upsert === true,
      multi: statement.multi === true,
      sort: statement.sort,
      arrayFilters: statement.arrayFilters,
    });
    if (outcome.upsertedId !== undefined) {
      upserted.push({ index, _id: outcome.upsertedId });
      n++;
    } else {
      n += outcome.matched;
      nModified += outcome.modified;
    }
  });
  const reply: Document = { n, nModified };
  if (upserted.length > 0) reply.upserted = upserted;
  return withErrors(reply, writeErrors);
};

function isOperatorUpdate(update: unknown): boolean {
  return typeof update === 'object' && update !== null && Object.keys(update)[0]?.[0] === '$';
}

const remove: CommandHandler = (command, context) => {
  const deletes = statements(command, 'deletes');
  const collection = context.catalog.get(context.database, String(command.delete));
  let n = 0;
  const writeErrors = runBatch(deletes, command.ordered !== false, (statement) => {
    if (!collection) return;
    const limit = Number(statement.limit ?? 0);
    const targets = collection.find(statement.q ?? {}, { limit: limit === 1 ? 1 : undefined });
    for (const target of targets) collection.remove(target);
    n += targets.length;
  });
  return withErrors({ n }, writeErrors);
};

const findAndModify: CommandHandler = (command, context: CommandContext) => {
  const collection = context.catalog.ensure(context.database, command.findAndModify);
  const filter: Document = command.query ?? {};
  const project = (document: Document | undefined) => {
    if (!document) return null;
    if (!command.fields) return document;
    const [projected] = mingoFind([document], {}, command.fields).all() as Document[];
    return projected ?? null;
  };
  if (command.remove === true) {
    if (command.update !== undefined) badArguments();
    const [target] = collection.find(filter, { sort: command.sort, limit: 1 });
    const value = project(target);
    if (target) collection.remove(target);
    return { lastErrorObject: { n: target ? 1 : 0 }, value, ok: 1 };
  }
  if (command.update === undefined) badArguments();
  const outcome = updateOne(collection, filter, command.update, {
    upsert: command.upsert === true,
    sort: command.sort,
    arrayFilters: command.arrayFilters,
  });
  const lastErrorObject: Document = {
    n: outcome.upsertedId !== undefined ? 1 : outcome.matched,
    updatedExisting: outcome.matched > 0,
  };
  if (outcome.upsertedId !== undefined) lastErrorObject.upserted = outcome.upsertedId;
  // `new: true` returns the document after the update, otherwise the one before (null on insert).
  const value = command.new === true ? project(outcome.after) : project(outcome.before);
  return { lastErrorObject, value, ok: 1 };
};

function badArguments(): never {
  throw badValue('findAndModify needs exactly one of remove: true or an update');
}

export const writeCommands: Record<string, CommandHandler> = {
  insert,
  update,
  delete: remove,
  findAndModify,
  findandmodify: findAndModify,
};
