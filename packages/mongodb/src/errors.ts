import type { ErrorClassifier } from '@hallpass/core/store';
import { MongoServerError } from 'mongodb';

/** A value of the wrong BSON type in a stored document (e.g. `$inc` on a string version). */
const TYPE_MISMATCH = 14;
/** The document would exceed 16 MiB. */
const OBJECT_TOO_LARGE = new Set([10334, 17419, 17420]);
const TOO_LARGE = 'session document is larger than MongoDB allows';

/**
 * Reads the driver's errors for the kit. Network errors, server selection timeouts, cleared
 * pools, a closed client, a stepped-down primary are the kit's default: unavailable, a later
 * retry may succeed.
 */
export const classifyMongoError: ErrorClassifier = (error) => {
  if (error instanceof MongoServerError) {
    if (error.code === TYPE_MISMATCH) {
      return {
        kind: 'corrupt-data',
        message: `stored session has a field of the wrong type: ${error.message}`,
      };
    }
    if (typeof error.code === 'number' && OBJECT_TOO_LARGE.has(error.code)) {
      return { kind: 'invalid-input', message: TOO_LARGE };
    }
  }
  if (error instanceof Error && error.name === 'BSONError' && /size|large/i.test(error.message)) {
    return { kind: 'invalid-input', message: TOO_LARGE };
  }
  return undefined;
};
