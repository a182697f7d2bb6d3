import { ConfigurationError } from '../errors.js';

/**
 * Table, schema and index names end up inside SQL text (identifiers cannot be bound), so they
 * are checked against a conservative pattern and always quoted. `maxLength` is the database's
 * limit; a table name is kept to 48 characters so that index names derived from it fit.
 */
export function quoteSqlIdentifier(
  name: unknown,
  what: string,
  quote: '"' | '`',
  maxLength: number,
): string {
  const limit = what === 'table' ? Math.min(48, maxLength) : maxLength;
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || name.length > limit) {
    throw new ConfigurationError(
      `${what} must be 1-${limit} characters of [A-Za-z0-9_] starting with a letter or underscore, got ${JSON.stringify(name)}`,
    );
  }
  return `${quote}${name}${quote}`;
}
