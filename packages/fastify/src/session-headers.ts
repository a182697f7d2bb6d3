/** A header value as Fastify may hold it (string, number or list), as a list of strings. */
export function headerLines(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}
