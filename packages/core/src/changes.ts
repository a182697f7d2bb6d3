/**
 * What one request did to a session's values, kept so that a commit that loses a
 * compare-and-set race can re-apply exactly these changes on top of the newer values: two
 * concurrent requests that change different keys both survive.
 */
export class ChangeLog {
  #cleared = false;
  readonly #writes = new Map<string, { value: unknown } | null>();

  set(key: string, value: unknown): void {
    this.#writes.set(key, { value });
  }

  remove(key: string): void {
    this.#writes.set(key, null);
  }

  clear(): void {
    this.#cleared = true;
    this.#writes.clear();
  }

  reset(): void {
    this.#cleared = false;
    this.#writes.clear();
  }

  /** The values this request would have produced had it started from `base`. */
  replay(base: Record<string, unknown>): Record<string, unknown> {
    const values: Record<string, unknown> = this.#cleared ? {} : { ...base };
    for (const [key, write] of this.#writes) {
      if (write === null) delete values[key];
      else values[key] = write.value;
    }
    return values;
  }
}
