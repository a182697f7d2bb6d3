import type {
  CallOptions,
  SessionUpdate,
  StoredSession,
  UpdateOptions,
  UpdateResult,
} from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';

export interface HeldAnswer {
  /** Resolves once the held call has done its work (and is waiting to return its answer). */
  done: Promise<void>;
  /** Lets the held call return its answer. */
  release(): void;
}

interface Hold {
  reached: () => void;
  released: Promise<void>;
}

/**
 * A real MemoryStore whose next find or update does its work and then waits before returning
 * the answer, as a slow network would: the answer may be outdated by the time it arrives.
 */
export class HeldAnswerStore extends MemoryStore {
  #find: Hold | undefined;
  #update: Hold | undefined;

  constructor() {
    super({ cleanupIntervalMs: 0 });
  }

  holdNextFind(): HeldAnswer {
    const [hold, answer] = makeHold();
    this.#find = hold;
    return answer;
  }

  holdNextUpdate(): HeldAnswer {
    const [hold, answer] = makeHold();
    this.#update = hold;
    return answer;
  }

  override async find(id: string, options?: CallOptions): Promise<StoredSession | null> {
    const found = await super.find(id, options);
    const hold = this.#find;
    this.#find = undefined;
    await wait(hold);
    return found;
  }

  override async update(
    id: string,
    changes: SessionUpdate,
    options?: UpdateOptions,
  ): Promise<UpdateResult> {
    const result = await super.update(id, changes, options);
    const hold = this.#update;
    this.#update = undefined;
    await wait(hold);
    return result;
  }
}

function makeHold(): [Hold, HeldAnswer] {
  let reached!: () => void;
  let release!: () => void;
  const done = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  return [
    { reached, released },
    { done, release },
  ];
}

async function wait(hold: Hold | undefined): Promise<void> {
  if (!hold) return;
  hold.reached();
  await hold.released;
}
