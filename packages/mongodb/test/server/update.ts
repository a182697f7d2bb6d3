/**
 * Update documents: operator updates ($set, $inc, $unset...) through mingo's updater,
 * replacements, aggregation-pipeline updates, and the document an upsert starts from.
 */
import { type Document, deserialize, serialize } from 'bson';
import { Aggregator, update as mingoUpdate } from 'mingo';
import { badValue, CommandError, failedToParse } from './errors.js';
import { isOperatorObject, readPath } from './keys.js';

/** A deep copy that keeps BSON types (Binary, ObjectId, Long) intact. */
export function cloneDocument(document: Document): Document {
  return deserialize(serialize(document));
}

export interface UpdateContext {
  /** The document is being created by an upsert, so $setOnInsert applies. */
  inserting: boolean;
  arrayFilters?: Document[] | undefined;
}

/** Returns the updated copy of `document`; the original is left untouched. */
export function applyUpdate(document: Document, update: unknown, context: UpdateContext): Document {
  if (Array.isArray(update)) return applyPipeline(document, update as Document[]);
  if (update === null || typeof update !== 'object') {
    throw failedToParse('update must be a document or a pipeline');
  }
  if (!isOperatorObject(update)) return replacement(document, update as Document);
  const { $setOnInsert, ...given } = update as Document;
  const { operators, id } = withoutSetId(document, given);
  assertNumericTargets(document, operators);
  const next = cloneDocument(document);
  if (id !== undefined && next._id === undefined) next._id = id;
  try {
    if (Object.keys(operators).length > 0) {
      mingoUpdate(next, operators, context.arrayFilters, undefined, { cloneMode: 'none' });
    }
    if (context.inserting && $setOnInsert) {
      mingoUpdate(next, { $set: $setOnInsert }, undefined, undefined, { cloneMode: 'none' });
    }
  } catch (error) {
    throw badValue(`update failed: ${(error as Error).message}`);
  }
  return next;
}

/**
 * mongod accepts `$set: { _id }` that leaves _id as it is (connect-mongo's upsert sends exactly
 * that) and refuses one that would change it with ImmutableField; mingo refuses both, so the
 * _id is taken out here first.
 */
function withoutSetId(
  document: Document,
  operators: Document,
): { operators: Document; id: unknown } {
  const set = operators.$set as Document | undefined;
  if (!set || typeof set !== 'object' || !Object.hasOwn(set, '_id'))
    return { operators, id: undefined };
  const { _id: id, ...others } = set;
  if (document._id !== undefined && !sameId(id, document._id)) {
    throw new CommandError(
      66,
      'ImmutableField',
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  }
  const { $set: _, ...rest } = operators;
  return { operators: Object.keys(others).length > 0 ? { ...rest, $set: others } : rest, id };
}

/**
 * mongod refuses $inc/$mul on a field holding a non-number (TypeMismatch); mingo would
 * concatenate or produce NaN, so the check is made here first.
 */
function assertNumericTargets(document: Document, operators: Document): void {
  for (const operator of ['$inc', '$mul']) {
    const fields = operators[operator] as Document | undefined;
    for (const field of Object.keys(fields ?? {})) {
      const current = readPath(document, field);
      if (
        current !== undefined &&
        current !== null &&
        typeof current !== 'number' &&
        !isBsonNumber(current)
      ) {
        throw new CommandError(
          14,
          'TypeMismatch',
          `Cannot apply ${operator} to a value of non-numeric type. {_id: ${JSON.stringify(document._id)}} has the field '${field}' of non-numeric type ${typeof current}`,
        );
      }
    }
  }
}

function isBsonNumber(value: unknown): boolean {
  const type = (value as { _bsontype?: string })._bsontype;
  return type === 'Long' || type === 'Double' || type === 'Int32' || type === 'Decimal128';
}

function replacement(document: Document, replacement: Document): Document {
  for (const key of Object.keys(replacement)) {
    if (key.startsWith('$')) {
      throw failedToParse(`The dollar ($) prefixed field '${key}' is not allowed in a replacement`);
    }
  }
  const { _id, ...fields } = replacement;
  if (_id !== undefined && document._id !== undefined && !sameId(_id, document._id)) {
    throw new CommandError(
      66,
      'ImmutableField',
      "After applying the update, the (immutable) field '_id' was found to have been altered",
    );
  }
  return { _id: document._id ?? _id, ...fields };
}

function applyPipeline(document: Document, pipeline: Document[]): Document {
  const [result] = new Aggregator(pipeline).run([cloneDocument(document)]) as Document[];
  if (!result) throw badValue('pipeline update removed the document');
  return { ...result, _id: document._id };
}

/**
 * The document an upsert inserts before its update applies: the filter's top-level
 * equality fields, as mongod does (`{ _id: 'x', expiresAt: { $lte: d } }` seeds `{ _id: 'x' }`).
 */
export function upsertSeed(filter: Document): Document {
  const seed: Document = {};
  for (const [field, value] of Object.entries(filter)) {
    if (field.startsWith('$') || field.includes('.')) continue;
    if (!isOperatorObject(value)) seed[field] = value;
    else if (Object.keys(value).length === 1 && '$eq' in value) seed[field] = value.$eq;
  }
  return seed;
}

function sameId(a: unknown, b: unknown): boolean {
  return sameDocument({ v: a }, { v: b });
}

/** Byte-for-byte equality of the BSON encoding, field order included (mongod's notion too). */
export function sameDocument(a: Document, b: Document): boolean {
  return Buffer.from(serialize(a)).equals(serialize(b));
}
