import { type Document, EJSON } from 'bson';

/**
 * A canonical string for a BSON value, used as a Map key for `_id` lookups and unique-index
 * entries. Strings take a fast path because session ids are strings; everything else goes
 * through canonical Extended JSON so 1 and "1" or two different ObjectIds never collide.
 */
export function valueKey(value: unknown): string {
  if (typeof value === 'string') return `s:${value}`;
  if (value === undefined || value === null) return 'null';
  return `e:${EJSON.stringify({ v: value }, { relaxed: false })}`;
}

/** Reads a dotted path; a missing field reads as undefined (indexes treat it as null). */
export function readPath(document: Document, path: string): unknown {
  let current: unknown = document;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Document)[part];
  }
  return current;
}

/** Whether a filter value is an operator expression ({ $gt: ... }) rather than a literal. */
export function isOperatorObject(value: unknown): value is Document {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  if ((value as { _bsontype?: unknown })._bsontype !== undefined || value instanceof Date) {
    return false;
  }
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}
