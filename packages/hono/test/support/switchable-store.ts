import { StoreUnavailableError } from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';

/**
 * A real MemoryStore that can be switched off like a backend that went away: every call
 * rejects with StoreUnavailableError while `down` is true, as a real store does.
 */
export class SwitchableStore extends MemoryStore {
  down = false;

  #check(): void {
    if (this.down) throw new StoreUnavailableError('test backend is switched off');
  }

  override async find(...args: Parameters<MemoryStore['find']>) {
    this.#check();
    return super.find(...args);
  }

  override async create(...args: Parameters<MemoryStore['create']>) {
    this.#check();
    return super.create(...args);
  }

  override async update(...args: Parameters<MemoryStore['update']>) {
    this.#check();
    return super.update(...args);
  }

  override async touch(...args: Parameters<MemoryStore['touch']>) {
    this.#check();
    return super.touch(...args);
  }

  override async delete(...args: Parameters<MemoryStore['delete']>) {
    this.#check();
    return super.delete(...args);
  }
}
