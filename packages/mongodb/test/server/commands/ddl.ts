/** Collections and indexes: create, list, drop. */
import type { Document } from 'bson';
import { assertCollectionName } from '../catalog.js';
import { badValue, CommandError } from '../errors.js';
import { defaultIndexName, type IndexSpec } from '../indexes.js';
import type { CommandHandler } from './context.js';

function toIndexSpec(raw: Document): IndexSpec {
  const key = raw.key;
  if (!key || typeof key !== 'object' || Object.keys(key).length === 0) {
    throw new CommandError(67, 'CannotCreateIndex', 'index key pattern must be a non-empty object');
  }
  const spec: IndexSpec = {
    name: typeof raw.name === 'string' ? raw.name : defaultIndexName(key),
    key,
  };
  if (raw.unique === true) spec.unique = true;
  if (raw.sparse === true) spec.sparse = true;
  if (raw.partialFilterExpression) spec.partialFilterExpression = raw.partialFilterExpression;
  if (raw.expireAfterSeconds !== undefined) {
    const seconds = Number(raw.expireAfterSeconds);
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new CommandError(67, 'CannotCreateIndex', 'expireAfterSeconds must be >= 0');
    }
    spec.expireAfterSeconds = seconds;
  }
  return spec;
}

const createIndexes: CommandHandler = (command, context) => {
  if (!Array.isArray(command.indexes)) throw badValue("'indexes' must be an array");
  const existed = context.catalog.get(context.database, String(command.createIndexes));
  const collection = context.catalog.ensure(context.database, command.createIndexes);
  const before = collection.indexes.length;
  for (const raw of command.indexes as Document[]) collection.createIndex(toIndexSpec(raw));
  return {
    createdCollectionAutomatically: !existed,
    numIndexesBefore: before,
    numIndexesAfter: collection.indexes.length,
    ok: 1,
  };
};

const listIndexes: CommandHandler = (command, context) => {
  const name = assertCollectionName(command.listIndexes);
  const collection = context.catalog.get(context.database, name);
  if (!collection) {
    throw new CommandError(
      26,
      'NamespaceNotFound',
      `ns does not exist: ${context.database}.${name}`,
    );
  }
  const indexes = collection.indexes.map((index) => index.describe());
  const namespace = `${context.database}.$cmd.listIndexes.${name}`;
  return { cursor: context.cursors.open(namespace, indexes, undefined), ok: 1 };
};

const dropIndexes: CommandHandler = (command, context) => {
  const name = assertCollectionName(command.dropIndexes);
  const collection = context.catalog.get(context.database, name);
  if (!collection) {
    throw new CommandError(26, 'NamespaceNotFound', `ns not found ${context.database}.${name}`);
  }
  const before = collection.indexes.length;
  const target = command.index;
  const names =
    target === '*'
      ? collection.indexes.map((index) => index.spec.name).filter((n) => n !== '_id_')
      : [typeof target === 'string' ? target : defaultIndexName(target as Document)];
  for (const indexName of names) collection.dropIndex(indexName);
  return { nIndexesWas: before, ok: 1 };
};

const create: CommandHandler = (command, context) => {
  const name = assertCollectionName(command.create);
  if (context.catalog.get(context.database, name)) {
    throw new CommandError(
      48,
      'NamespaceExists',
      `Collection ${context.database}.${name} already exists.`,
    );
  }
  context.catalog.ensure(context.database, name);
  return { ok: 1 };
};

const listCollections: CommandHandler = (command, context) => {
  const entries = [...context.catalog.collections(context.database).keys()].map((name) => ({
    name,
    type: 'collection',
    options: {},
    info: { readOnly: false },
    idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
  }));
  const filter = command.filter as Document | undefined;
  const selected =
    typeof filter?.name === 'string'
      ? entries.filter((entry) => entry.name === filter.name)
      : entries;
  const batchSize = (command.cursor as Document | undefined)?.batchSize;
  const namespace = `${context.database}.$cmd.listCollections`;
  return {
    cursor: context.cursors.open(namespace, selected, Number(batchSize) || undefined),
    ok: 1,
  };
};

const listDatabases: CommandHandler = (_command, context) => ({
  databases: context.catalog.databaseNames().map((name) => ({ name, sizeOnDisk: 0, empty: false })),
  totalSize: 0,
  ok: 1,
});

export const ddlCommands: Record<string, CommandHandler> = {
  createIndexes,
  listIndexes,
  dropIndexes,
  create,
  listCollections,
  listDatabases,
  // Dropping something missing succeeds, as on MongoDB 7.0+.
  drop: (command, context) => {
    context.catalog.drop(context.database, assertCollectionName(command.drop));
    return { ok: 1 };
  },
  dropDatabase: (_command, context) => {
    context.catalog.dropDatabase(context.database);
    return { dropped: context.database, ok: 1 };
  },
};
