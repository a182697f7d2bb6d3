import { ConfigurationError } from '@hallpass/core';

/**
 * Table names end up inside SQL text (identifiers cannot be bound as parameters), so they are
 * validated against a conservative pattern and then always backtick-quoted. Backticks are the
 * identifier quote of MySQL and MariaDB alike, whatever the server's sql_mode says.
 */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The names every statement uses, quoted once. */
export interface TableNames {
  /** `` `table` `` or `` `database`.`table` ``, for statements. */
  readonly qualified: string;
  /** The bare table name, to derive index names from. */
  readonly table: string;
}

function quote(name: string, what: string): string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new ConfigurationError(
      `${what} must be 1-64 characters of [A-Za-z0-9_] starting with a letter or underscore, got ${JSON.stringify(name)}`,
    );
  }
  return `\`${name}\``;
}

export function tableNames(table: string, database?: string): TableNames {
  // Index names append up to 15 characters and must stay within the servers' 64.
  if (typeof table === 'string' && table.length > 48) {
    throw new ConfigurationError('table must be at most 48 characters');
  }
  const quotedTable = quote(table, 'table');
  return {
    qualified:
      database === undefined ? quotedTable : `${quote(database, 'database')}.${quotedTable}`,
    table,
  };
}

export function quoteIndex(names: TableNames, suffix: string): string {
  return quote(`${names.table}_${suffix}`, 'index');
}
