/** What a client learns from one Set-Cookie line for the session cookie. */
export interface SetCookie {
  value: string;
  cleared: boolean;
  attributes: Map<string, string>;
}

/** Parses the Set-Cookie lines for `name`; fails loudly when there is more than one. */
export function sessionSetCookie(lines: readonly string[], name: string): SetCookie | undefined {
  const mine = lines.filter((line) => line.startsWith(`${name}=`));
  if (mine.length > 1) throw new Error(`${mine.length} Set-Cookie lines for ${name}: ${mine}`);
  const line = mine[0];
  if (line === undefined) return undefined;
  const [pair = '', ...rest] = line.split(';');
  const attributes = new Map<string, string>();
  for (const part of rest) {
    const [key = '', ...value] = part.trim().split('=');
    attributes.set(key.toLowerCase(), value.join('='));
  }
  const value = pair.slice(name.length + 1);
  const cleared = value === '' || attributes.get('max-age') === '0';
  return { value, cleared, attributes };
}

/** A one-cookie client jar: remembers what the server set and sends it back, like a browser. */
export class CookieJar {
  value: string | undefined;

  constructor(readonly name: string) {}

  header(): Record<string, string> {
    return this.value === undefined ? {} : { cookie: `${this.name}=${this.value}` };
  }

  /** Applies a response's Set-Cookie lines; returns what it set, if anything. */
  receive(lines: readonly string[]): SetCookie | undefined {
    const set = sessionSetCookie(lines, this.name);
    if (set) this.value = set.cleared ? undefined : set.value;
    return set;
  }
}
