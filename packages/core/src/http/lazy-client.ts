import type { ClientInfo } from '../persistence/state.js';

type Read<R> = (request: R) => string | undefined;

/**
 * A request's client, each field read when first asked for and then kept: most requests
 * record no client and emit no event, and a socket's address costs a getpeername() system
 * call. A class with prototype getters rather than an object literal with getters (several
 * times dearer to create per request); core copies clients by field name (`copyClient`),
 * never by spreading, so the getters are honoured.
 */
export class LazyClient<R> implements ClientInfo {
  readonly #request: R;
  readonly #readUserAgent: Read<R>;
  readonly #readIp: Read<R>;
  #userAgent: string | undefined;
  #ip: string | undefined;
  #read = 0;

  constructor(request: R, readUserAgent: Read<R>, readIp: Read<R>) {
    this.#request = request;
    this.#readUserAgent = readUserAgent;
    this.#readIp = readIp;
  }

  get userAgent(): string | undefined {
    if (!(this.#read & 1)) {
      this.#read |= 1;
      this.#userAgent = this.#readUserAgent(this.#request);
    }
    return this.#userAgent;
  }

  get ip(): string | undefined {
    if (!(this.#read & 2)) {
      this.#read |= 2;
      this.#ip = this.#readIp(this.#request);
    }
    return this.#ip;
  }
}
