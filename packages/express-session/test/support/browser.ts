/**
 * A small browser for tests: keeps every cookie the server sets (by name) and sends them all
 * back, so one "browser" can hold an old express-session cookie and a hallpass cookie at once.
 */
export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) {
      headers.set(
        'cookie',
        [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      );
    }
    const response = await fetch(new URL(path, this.baseUrl), {
      ...init,
      headers,
      redirect: 'manual',
    });
    for (const line of response.headers.getSetCookie()) this.#receive(line);
    // Read the whole response before the next request, as a page load does: express-session
    // sends the headers (with the cookie) before its store has saved the session, and only ends
    // the body once it has; a request sent on the headers alone can find no session yet.
    const body = await response.arrayBuffer();
    return new Response(body.byteLength === 0 ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  }

  /** A form post, as a login page sends it. */
  post(path: string, form: Record<string, string>): Promise<Response> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }

  async text(path: string): Promise<string> {
    return (await this.request(path)).text();
  }

  async json<T = unknown>(path: string): Promise<T> {
    return (await this.request(path)).json() as Promise<T>;
  }

  /** Takes a copy of another browser's cookies (the same browser, pointed at another server). */
  adopt(other: Browser): this {
    for (const [name, value] of other.cookies) this.cookies.set(name, value);
    return this;
  }

  /** A second browser that starts with a copy of this one's cookies (a stolen cookie jar). */
  clone(): Browser {
    const copy = new Browser(this.baseUrl);
    for (const [name, value] of this.cookies) copy.cookies.set(name, value);
    return copy;
  }

  #receive(line: string): void {
    const [pair = '', ...attributes] = line.split(';');
    const at = pair.indexOf('=');
    const name = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim();
    const expired = attributes.some((attribute) => {
      const [key = '', ...rest] = attribute.trim().split('=');
      const lower = key.toLowerCase();
      if (lower === 'max-age') return Number(rest.join('=')) <= 0;
      if (lower === 'expires') return new Date(rest.join('=')).getTime() <= Date.now();
      return false;
    });
    if (expired || value === '') this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}
