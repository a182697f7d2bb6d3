/** Resolves the store options to a collection, remembering whether the client is ours. */
import { ConfigurationError } from '@hallpass/core';
import { type Collection, MongoClient } from 'mongodb';
import type { SessionDocument } from './documents.js';
import { DEFAULT_COLLECTION, type MongoStoreOptions, URL_CLIENT_DEFAULTS } from './options.js';

export interface ResolvedConnection {
  collection: Collection<SessionDocument>;
  /** Set only when the store created the client, so close() never closes someone else's. */
  ownedClient: MongoClient | undefined;
}

export function resolveConnection(options: MongoStoreOptions): ResolvedConnection {
  const given = [options.client, options.db, options.url].filter((value) => value !== undefined);
  if (given.length !== 1) {
    throw new ConfigurationError('MongoStore needs exactly one of `client`, `db` or `url`');
  }
  const collectionName = options.collectionName ?? DEFAULT_COLLECTION;
  if (options.db) {
    return { collection: options.db.collection(collectionName), ownedClient: undefined };
  }
  if (options.client) {
    const db = options.client.db(options.databaseName);
    return { collection: db.collection(collectionName), ownedClient: undefined };
  }
  let client: MongoClient;
  try {
    client = new MongoClient(options.url as string, {
      ...URL_CLIENT_DEFAULTS,
      ...options.clientOptions,
    });
  } catch (error) {
    throw new ConfigurationError(`invalid MongoDB url: ${(error as Error).message}`);
  }
  const db = client.db(options.databaseName);
  return { collection: db.collection(collectionName), ownedClient: client };
}
