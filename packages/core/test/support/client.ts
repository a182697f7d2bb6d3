/**
 * A minimal cookie-keeping client for one cookie name: enough to follow a session across
 * requests the way a browser would, without a browser.
 */
export class CookieClient {
  cookie: string | undefined;

  constructor(
    readonly baseUrl: string,
    readonly name = 'session',
  ) {}

  async request(path = '/', init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', `${this.name}=${this.cookie}`);
    const response = await fetch(this.baseUrl + path, { ...init, headers, redirect: 'manual' });
    const line = response.headers.getSetCookie().find((value) => value.startsWith(`${this.name}=`));
    if (line) {
      const value = line.slice(this.name.length + 1).split(';')[0] ?? '';
      this.cookie = /max-age=0/i.test(line) || value === '' ? undefined : value;
    }
    return response;
  }

  async text(path = '/', init: RequestInit = {}): Promise<string> {
    return (await this.request(path, init)).text();
  }
}
