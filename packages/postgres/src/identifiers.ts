import { quoteSqlIdentifier } from '@hallpass/core/store';

export function quoteIdentifier(name: string, what: string): string {
  return quoteSqlIdentifier(name, what, '"', 63);
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
  return {
    qualified: `${quotedSchema}.${quoteIdentifier(table, 'table')}`,
    schema: quotedSchema,
    table,
  };
}
