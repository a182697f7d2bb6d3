/** One call to the shared store for one session id, from start to answer. */
export interface Flight {
  readonly id: string;
  readonly write: boolean;
  /**
   * Set when another call for the same id overlapped this one in a way that makes its answer
   * unfit for the cache: a read that overlapped a write may have seen the state before or
   * after it, and two overlapping writes may have been applied in either order.
   */
  stale: boolean;
}

/**
 * The calls in progress, per session id, so that an answer which may already be outdated
 * when it arrives is never cached: a cached copy must be at least as new as every write this
 * process has seen complete.
 */
export class InFlight {
  readonly #byId = new Map<string, Set<Flight>>();

  begin(id: string, write: boolean): Flight {
    const flight: Flight = { id, write, stale: false };
    const others = this.#byId.get(id);
    if (others) {
      for (const other of others) {
        if (write) other.stale = true;
        if (other.write) flight.stale = true;
      }
      others.add(flight);
    } else {
      this.#byId.set(id, new Set([flight]));
    }
    return flight;
  }

  end(flight: Flight): void {
    const others = this.#byId.get(flight.id);
    others?.delete(flight);
    if (others?.size === 0) this.#byId.delete(flight.id);
  }

  /** For writes whose ids are unknown in advance (deleteByUser): nothing in flight may be cached. */
  markAllStale(): void {
    for (const flights of this.#byId.values()) {
      for (const flight of flights) flight.stale = true;
    }
  }
}
