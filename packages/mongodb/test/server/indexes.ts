/**
 * Index rules mongod enforces that the store relies on: unique keys (with E11000 errors shaped
 * like the real ones) and TTL definitions (`expireAfterSeconds`, swept by ttl-monitor.ts).
 * Indexes here never speed anything up except `_id`, which collection.ts keys its Map by.
 */
import type { Document } from 'bson';
import { Query } from 'mingo';
import { CommandError } from './errors.js';
import { readPath, valueKey } from './keys.js';

export interface IndexSpec {
  name: string;
  key: Document;
  unique?: boolean;
  sparse?: boolean;
  expireAfterSeconds?: number;
  partialFilterExpression?: Document;
}

export class Index {
  readonly spec: IndexSpec;
  /** Unique indexes only: entry key -> the `_id` key of the document holding it. */
  readonly #entries = new Map<string, string>();
  readonly #partial: Query | undefined;

  constructor(spec: IndexSpec) {
    this.spec = spec;
    this.#partial = spec.partialFilterExpression
      ? new Query(spec.partialFilterExpression)
      : undefined;
  }

  get fields(): string[] {
    return Object.keys(this.spec.key);
  }

  get enforcesUniqueness(): boolean {
    return this.spec.unique === true && this.spec.name !== '_id_';
  }

  /** The entry a document contributes, or undefined when the index leaves it out. */
  entryOf(document: Document): string | undefined {
    if (this.#partial && !this.#partial.test(document)) return undefined;
    const values = this.fields.map((field) => readPath(document, field));
    if (this.spec.sparse && values.every((value) => value === undefined)) return undefined;
    return values.map(valueKey).join('\u0000');
  }

  /** Throws the duplicate-key error mongod gives if `document` would collide with another. */
  check(document: Document, idKey: string, namespace: string): void {
    if (!this.enforcesUniqueness) return;
    const entry = this.entryOf(document);
    if (entry === undefined) return;
    const holder = this.#entries.get(entry);
    if (holder !== undefined && holder !== idKey) {
      throw duplicateKey(namespace, this.spec, document);
    }
  }

  add(document: Document, idKey: string): void {
    if (!this.enforcesUniqueness) return;
    const entry = this.entryOf(document);
    if (entry !== undefined) this.#entries.set(entry, idKey);
  }

  remove(document: Document): void {
    if (!this.enforcesUniqueness) return;
    const entry = this.entryOf(document);
    if (entry !== undefined) this.#entries.delete(entry);
  }

  /** The listIndexes shape of this index. */
  describe(): Document {
    const { name, key, ...options } = this.spec;
    // mongod lists the _id index without a `unique` flag even though it is unique.
    if (name === '_id_') return { v: 2, key, name };
    return { v: 2, key, name, ...options };
  }

  sameDefinition(other: IndexSpec): boolean {
    return (
      JSON.stringify(this.spec.key) === JSON.stringify(other.key) &&
      Boolean(this.spec.unique) === Boolean(other.unique) &&
      Boolean(this.spec.sparse) === Boolean(other.sparse) &&
      this.spec.expireAfterSeconds === other.expireAfterSeconds &&
      JSON.stringify(this.spec.partialFilterExpression) ===
        JSON.stringify(other.partialFilterExpression)
    );
  }
}

export function duplicateKey(namespace: string, spec: IndexSpec, document: Document) {
  const keyValue: Document = {};
  for (const field of Object.keys(spec.key)) keyValue[field] = readPath(document, field) ?? null;
  const shown = Object.entries(keyValue)
    .map(([field, value]) => `${field}: ${JSON.stringify(value)}`)
    .join(', ');
  return new CommandError(
    11000,
    'DuplicateKey',
    `E11000 duplicate key error collection: ${namespace} index: ${spec.name} dup key: { ${shown} }`,
    { keyPattern: spec.key, keyValue },
  );
}

/** The default name mongod gives an index: `field_1_other_-1`. */
export function defaultIndexName(key: Document): string {
  return Object.entries(key)
    .map(([field, direction]) => `${field}_${String(direction)}`)
    .join('_');
}
