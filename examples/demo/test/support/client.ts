/**
 * A cookie-keeping fetch client for one demo user: follows the session across requests the
 * way a browser would (redirects are not followed, so tests see the Set-Cookie of each step).
 */
export class DemoClient {
  cookie: string | undefined;

  constructor(
    readonly baseUrl: string,
    readonly cookieName = '__Host-hallpass',
  ) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', `${this.cookieName}=${this.cookie}`);
    const response = await fetch(this.baseUrl + path, { ...init, headers, redirect: 'manual' });
    const line = response.headers
      .getSetCookie()
      .find((value) => value.startsWith(`${this.cookieName}=`));
    if (line) {
      const value = line.slice(this.cookieName.length + 1).split(';')[0] ?? '';
      this.cookie = /max-age=0/i.test(line) || value === '' ? undefined : value;
    }
    return response;
  }

  /** A same-origin form post, as the demo's pages send it. */
  post(path: string, fields: Record<string, string>, origin = this.baseUrl): Promise<Response> {
    return this.request(path, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  async page(path: string): Promise<string> {
    return (await this.request(path)).text();
  }

  async signIn(user: string, password = 'hallpass-demo'): Promise<Response> {
    return this.post('/signin', { username: user, password });
  }
}

/** The signed-in user's display name on a page, or null. */
export function signedInAs(html: string): string | null {
  return /<strong data-user>([^<]*)<\/strong>/.exec(html)?.[1] ?? null;
}

export function flashOf(html: string): string | null {
  return /data-flash>([^<]*)</.exec(html)?.[1] ?? null;
}
