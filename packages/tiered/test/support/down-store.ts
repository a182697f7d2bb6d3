import { type Store, StoreUnavailableError } from '@hallpass/core';

/**
 * A store whose backend is down: every call rejects with StoreUnavailableError, as a real
 * store does once its connection is refused. Counts the calls it refused.
 */
export class DownStore implements Store {
  readonly capabilities = { versioned: true, iterate: false, userIndex: true, touch: true };
  refused = 0;

  #refuse(): Promise<never> {
    this.refused++;
    return Promise.reject(new StoreUnavailableError('connection refused (test double)'));
  }

  find = () => this.#refuse();
  create = () => this.#refuse();
  update = () => this.#refuse();
  delete = () => this.#refuse();
  touch = () => this.#refuse();
  listByUser = () => this.#refuse();
  deleteByUser = () => this.#refuse();
}
