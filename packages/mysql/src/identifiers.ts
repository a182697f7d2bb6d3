import { quoteSqlIdentifier } from '@hallpass/core/store';

/** The names every statement uses, quoted once. Backticks quote in MySQL and MariaDB alike. */
export interface TableNames {
  /** `` `table` `` or `` `database`.`table` ``, for statements. */
  readonly qualified: string;
  /** The bare table name, to derive index names from. */
  readonly table: string;
}

const quote = (name: string, what: string) => quoteSqlIdentifier(name, what, '`', 64);

export function tableNames(table: string, database?: string): TableNames {
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
