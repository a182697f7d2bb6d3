/** Databases and their collections, all in memory. Names follow mongod's `db.collection` rule. */
import { Collection } from './collection.js';
import { CommandError } from './errors.js';

export class Catalog {
  readonly #databases = new Map<string, Map<string, Collection>>();

  /** The collection, or undefined if it was never written to (reads of it see nothing). */
  get(database: string, name: string): Collection | undefined {
    return this.#databases.get(database)?.get(name);
  }

  /** The collection, created on first write the way mongod creates it implicitly. */
  ensure(database: string, name: unknown): Collection {
    const collectionName = assertCollectionName(name);
    let collections = this.#databases.get(database);
    if (!collections) {
      collections = new Map();
      this.#databases.set(database, collections);
    }
    let collection = collections.get(collectionName);
    if (!collection) {
      collection = new Collection(`${database}.${collectionName}`);
      collections.set(collectionName, collection);
    }
    return collection;
  }

  drop(database: string, name: string): boolean {
    return this.#databases.get(database)?.delete(name) ?? false;
  }

  dropDatabase(database: string): void {
    this.#databases.delete(database);
  }

  collections(database: string): Map<string, Collection> {
    return this.#databases.get(database) ?? new Map();
  }

  databaseNames(): string[] {
    return [...this.#databases.keys()];
  }

  *allCollections(): Iterable<Collection> {
    for (const collections of this.#databases.values()) yield* collections.values();
  }

  clear(): void {
    this.#databases.clear();
  }
}

export function assertCollectionName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || name.includes('\u0000')) {
    throw new CommandError(73, 'InvalidNamespace', `Invalid collection name: ${String(name)}`);
  }
  return name;
}
