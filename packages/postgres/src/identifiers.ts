import { ConfigurationError } from '@hallpass/core';

/**
 * Schema and table names end up inside SQL text (identifiers cannot be bound as parameters),
 * so they are validated against a conservative pattern and then always double-quoted.
 */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function quoteIdentifier(name: string, what: string): string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new ConfigurationError(
      `${what} must be 1-63 characters of [A-Za-z0-9_] starting with a letter or underscore, got ${JSON.stringify(name)}`,
    );
  }
  return `"${name}"`;
}

/** The names every statement uses, quoted once. */
export interface TableNames {
  /** `"schema"."table"`, for statements. */
  readonly qualified: string;
  /** `"schema"`. */
  readonly schema: string;
  /** The bare table name, to derive index names from. */
  readonly table: string;
}

export function tableNames(schema: string, table: string): TableNames {
  const quotedSchema = quoteIdentifier(schema, 'schema');
  // Index names append up to 15 characters and must stay within PostgreSQL's 63.
  if (typeof table === 'string' && table.length > 48) {
    throw new ConfigurationError('table must be at most 48 characters');
  }
  return {
    qualified: `${quotedSchema}.${quoteIdentifier(table, 'table')}`,
    schema: quotedSchema,
    table,
  };
}
