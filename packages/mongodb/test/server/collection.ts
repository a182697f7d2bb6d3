/**
 * One in-memory collection: documents keyed by `_id`, plus its index definitions. Stored
 * documents are never mutated: every write stores a fresh object, so an open cursor keeps the
 * snapshot it was created with.
 */
import { type Document, ObjectId } from 'bson';
import { find as mingoFind, Query } from 'mingo';
import { badValue, CommandError } from './errors.js';
import { duplicateKey, Index, type IndexSpec } from './indexes.js';
import { isOperatorObject, valueKey } from './keys.js';

export interface QueryOptions {
  sort?: Document | undefined;
  skip?: number | undefined;
  limit?: number | undefined;
  projection?: Document | undefined;
}

export class Collection {
  readonly namespace: string;
  readonly #documents = new Map<string, Document>();
  readonly #indexes = new Map<string, Index>();

  constructor(namespace: string) {
    this.namespace = namespace;
    this.#indexes.set('_id_', new Index({ name: '_id_', key: { _id: 1 }, unique: true }));
  }

  get size(): number {
    return this.#documents.size;
  }

  get indexes(): Index[] {
    return [...this.#indexes.values()];
  }

  /** Adds an index; returns false when an identical one already exists. */
  createIndex(spec: IndexSpec): boolean {
    const existing = this.#indexes.get(spec.name);
    if (existing) {
      if (existing.sameDefinition(spec)) return false;
      throw new CommandError(
        86,
        'IndexKeySpecsConflict',
        `An existing index has the same name as the requested index: ${spec.name}`,
      );
    }
    for (const other of this.#indexes.values()) {
      if (JSON.stringify(other.spec.key) === JSON.stringify(spec.key)) {
        if (other.sameDefinition({ ...spec, name: other.spec.name })) return false;
        throw new CommandError(
          85,
          'IndexOptionsConflict',
          `An equivalent index already exists with a different name and options: ${other.spec.name}`,
        );
      }
    }
    const index = new Index(spec);
    for (const [idKey, document] of this.#documents) {
      index.check(document, idKey, this.namespace);
      index.add(document, idKey);
    }
    this.#indexes.set(spec.name, index);
    return true;
  }

  dropIndex(name: string): void {
    if (name === '_id_') throw badValue('cannot drop _id index');
    if (!this.#indexes.delete(name)) {
      throw new CommandError(27, 'IndexNotFound', `index not found with name [${name}]`);
    }
  }

  insert(document: Document): Document {
    const stored = document._id === undefined ? { _id: new ObjectId(), ...document } : document;
    const idKey = valueKey(stored._id);
    if (this.#documents.has(idKey)) {
      throw duplicateKey(this.namespace, { name: '_id_', key: { _id: 1 } }, stored);
    }
    this.#checkUnique(stored, idKey);
    this.#put(idKey, stored);
    return stored;
  }

  /** Stores `next` in place of `previous` (same `_id`, enforced by the caller). */
  replace(previous: Document, next: Document): void {
    const idKey = valueKey(previous._id);
    if (valueKey(next._id) !== idKey) {
      throw new CommandError(
        66,
        'ImmutableField',
        "Performing an update on the path '_id' would modify the immutable field '_id'",
      );
    }
    this.#checkUnique(next, idKey);
    this.remove(previous);
    this.#put(idKey, next);
  }

  remove(document: Document): void {
    const idKey = valueKey(document._id);
    const stored = this.#documents.get(idKey);
    if (!stored) return;
    for (const index of this.#indexes.values()) index.remove(stored);
    this.#documents.delete(idKey);
  }

  /** Matching documents in natural (insertion) order, or sorted, skipped, limited, projected. */
  find(filter: Document = {}, options: QueryOptions = {}): Document[] {
    const candidates = this.#candidates(filter);
    const plain = !options.sort && !options.skip && !options.projection;
    if (plain) {
      const query = new Query(filter);
      const result: Document[] = [];
      for (const document of candidates) {
        if (options.limit && result.length >= options.limit) break;
        if (query.test(document)) result.push(document);
      }
      return result;
    }
    let cursor = mingoFind(candidates, filter, options.projection);
    if (options.sort && Object.keys(options.sort).length > 0) cursor = cursor.sort(options.sort);
    if (options.skip) cursor = cursor.skip(options.skip);
    if (options.limit) cursor = cursor.limit(options.limit);
    return cursor.all() as Document[];
  }

  /** Every stored document; the TTL monitor scans these. */
  all(): Iterable<Document> {
    return this.#documents.values();
  }

  /**
   * An equality on `_id` is answered from the Map, the way mongod uses the _id index;
   * anything else scans the collection (fine for test-sized data).
   */
  #candidates(filter: Document): Document[] {
    const id = filter._id;
    if (id !== undefined && !isOperatorObject(id)) {
      const document = this.#documents.get(valueKey(id));
      return document ? [document] : [];
    }
    if (isOperatorObject(id) && Object.keys(id).length === 1 && '$eq' in id) {
      const document = this.#documents.get(valueKey(id.$eq));
      return document ? [document] : [];
    }
    return [...this.#documents.values()];
  }

  #checkUnique(document: Document, idKey: string): void {
    for (const index of this.#indexes.values()) index.check(document, idKey, this.namespace);
  }

  #put(idKey: string, document: Document): void {
    this.#documents.set(idKey, document);
    for (const index of this.#indexes.values()) index.add(document, idKey);
  }
}
