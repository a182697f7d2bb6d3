import type { CallOptions, StoredSession } from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';

export interface HeldRead {
  /** Resolves once the held find has read its answer (and is waiting to return it). */
  read: Promise<void>;
  /** Lets the held find return the answer it read. */
  release(): void;
}

/**
 * A real MemoryStore whose next find reads its answer and then waits before returning it,
 * as a slow network would: the answer may be outdated by the time it arrives.
 */
export class HeldReadStore extends MemoryStore {
  #hold: { reached: () => void; released: Promise<void> } | undefined;

  constructor() {
    super({ sweepIntervalMs: 0 });
  }

  holdNextFind(): HeldRead {
    let reached!: () => void;
    let release!: () => void;
    const read = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#hold = { reached, released };
    return { read, release };
  }

  override async find(id: string, options?: CallOptions): Promise<StoredSession | null> {
    const found = await super.find(id, options);
    const hold = this.#hold;
    this.#hold = undefined;
    if (hold) {
      hold.reached();
      await hold.released;
    }
    return found;
  }
}
