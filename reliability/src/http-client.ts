/** What one request came back with. `status` 0 means it never completed (see `error`). */
export interface Reply {
  status: number;
  body: unknown;
  error?: string;
}

/**
 * A browser-like cookie jar for one cookie: every response's Set-Cookie for `name` replaces
 * the token (an expired or empty one clears it), whatever the status, as a browser would.
 */
export class CookieClient {
  token: string | null = null;

  constructor(
    readonly baseUrl: string,
    readonly requestTimeoutMs: number,
    readonly cookieName = 'session',
  ) {}

  /** A request carrying the jar's token, which then takes the response's Set-Cookie. */
  async send(method: 'GET' | 'POST', path: string): Promise<Reply> {
    return this.#fetch(method, path, this.token, true);
  }

  /** A request with an explicit token that leaves the jar alone (probing old tokens). */
  async probe(path: string, token: string): Promise<Reply> {
    return this.#fetch('GET', path, token, false);
  }

  async #fetch(
    method: string,
    path: string,
    token: string | null,
    updateJar: boolean,
  ): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (token !== null) headers.cookie = `${this.cookieName}=${token}`;
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, {
        method,
        headers,
        // A request that never answers is a failure the oracle reports, not a hung test.
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
    } catch (error) {
      return { status: 0, body: undefined, error: String(error) };
    }
    if (updateJar) this.#takeCookie(response.headers.getSetCookie());
    const text = await response.text().catch(() => '');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Error pages are plain text: keep the text.
    }
    return { status: response.status, body };
  }

  #takeCookie(lines: string[]): void {
    for (const line of lines) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (pair.slice(0, eq).trim() !== this.cookieName) continue;
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key = '', val = ''] = attribute.split('=').map((part) => part.trim().toLowerCase());
        return (
          (key === 'max-age' && Number(val) <= 0) ||
          (key === 'expires' && Date.parse(val) <= Date.now())
        );
      });
      this.token = value === '' || expired ? null : value;
    }
  }
}
