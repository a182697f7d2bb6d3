/**
 * One in-memory collection: documents keyed by `_id`, plus its index definitions. Stored
 * documents are never mutated: every write stores a fresh object, so an open cursor keeps the
 * snapshot it was created with.
 */
import { type Document, ObjectId } from 'bson';
import { find as mingoFind, Query } from 'mingo';
import { compare } from 'mingo/util';
import { badValue, CommandError } from './errors.js';
import { duplicateKey, Index, type IndexSpec } from './indexes.js';
import { isOperatorObject, readPath, valueKey } from './keys.js';

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
    const sortKeys = Object.entries(options.sort ?? {});
    let ordered = this.#candidates(filter);
    // Sorting the candidates before filtering lets a limited query stop after `skip + limit`
    // matches: a keyset page then tests a page of documents, not the whole collection.
    if (sortKeys.length > 0) ordered = sortDocuments(ordered, sortKeys);
    const wanted = options.limit ? (options.skip ?? 0) + options.limit : undefined;
    let matches: Document[] = [];
    if (isIdOnly(filter) || ordered.length === 0) {
      // Nothing left to test (compiling a mingo query costs more than an _id lookup).
      matches = ordered.slice(0, wanted);
    } else {
      const query = new Query(filter);
      for (const document of ordered) {
        if (wanted && matches.length >= wanted) break;
        if (query.test(document)) matches.push(document);
      }
    }
    if (options.skip) matches = matches.slice(options.skip);
    if (options.projection && Object.keys(options.projection).length > 0) {
      matches = mingoFind(matches, {}, options.projection).all() as Document[];
    }
    return matches;
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
    const all = [...this.#documents.values()];
    const range = isOperatorObject(id) ? stringRange(id) : undefined;
    // A string range on _id can only match string ids (BSON type bracketing), so a cheap
    // comparison narrows the scan before mingo tests the rest of the filter.
    return range ? all.filter((document) => range(document._id)) : all;
  }

  #checkUnique(document: Document, idKey: string): void {
    for (const index of this.#indexes.values()) index.check(document, idKey, this.namespace);
  }

  #put(idKey: string, document: Document): void {
    this.#documents.set(idKey, document);
    for (const index of this.#indexes.values()) index.add(document, idKey);
  }
}

/** Orders by each sort field in turn with mingo's BSON-like value comparison. */
function sortDocuments(documents: Document[], keys: Array<[string, unknown]>): Document[] {
  // Read each sort key once per document rather than once per comparison.
  const rows = documents.map((document) => ({
    document,
    values: keys.map(([field]) => readPath(document, field)),
  }));
  const directions = keys.map(([, direction]) => (Number(direction) < 0 ? -1 : 1));
  rows.sort((a, b) => {
    for (let i = 0; i < directions.length; i++) {
      const x = a.values[i];
      const y = b.values[i];
      const order =
        typeof x === 'string' && typeof y === 'string'
          ? x < y
            ? -1
            : x > y
              ? 1
              : 0
          : compare(x, y);
      if (order !== 0) return order * (directions[i] as number);
    }
    return 0;
  });
  return rows.map((row) => row.document);
}

/** `{ _id: <literal> }` and nothing else. */
function isIdOnly(filter: Document): boolean {
  const keys = Object.keys(filter);
  return keys.length === 1 && keys[0] === '_id' && !isOperatorObject(filter._id);
}

/** A predicate for `{ $gt/$gte/$lt/$lte: <string> }` on its own, or undefined for anything else. */
function stringRange(condition: Document): ((value: unknown) => boolean) | undefined {
  const entries = Object.entries(condition);
  if (entries.length === 0) return undefined;
  const tests: Array<(value: string) => boolean> = [];
  for (const [operator, bound] of entries) {
    if (typeof bound !== 'string') return undefined;
    if (operator === '$gt') tests.push((value) => value > bound);
    else if (operator === '$gte') tests.push((value) => value >= bound);
    else if (operator === '$lt') tests.push((value) => value < bound);
    else if (operator === '$lte') tests.push((value) => value <= bound);
    else return undefined;
  }
  return (value) => typeof value === 'string' && tests.every((test) => test(value));
}
