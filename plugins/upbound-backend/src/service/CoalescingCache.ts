/**
 * A small TTL cache that also coalesces concurrent loads: callers asking for the same key while a
 * load is in flight share its promise, so a page opened by many users costs one fetch.
 * Failed loads are not cached.
 * @public
 */
export class CoalescingCache<T> {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #entries = new Map<
    string,
    { promise: Promise<T>; expiresAt: number }
  >();

  constructor(options: {
    ttlMs: number;
    maxEntries?: number;
    now?: () => number;
  }) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries ?? 1000;
    this.#now = options.now ?? Date.now;
  }

  /** The cached or in-flight value for `key`, or the result of `load()`. */
  get(key: string, load: () => Promise<T>): Promise<T> {
    const now = this.#now();
    const hit = this.#entries.get(key);
    if (hit && hit.expiresAt > now) {
      return hit.promise;
    }
    const promise = load();
    // Until it settles the entry never expires, so concurrent callers share it.
    const entry = { promise, expiresAt: Number.POSITIVE_INFINITY };
    this.#entries.set(key, entry);
    this.#evict();
    promise.then(
      () => {
        entry.expiresAt = this.#now() + this.#ttlMs;
        if (this.#ttlMs <= 0 && this.#entries.get(key) === entry) {
          this.#entries.delete(key);
        }
      },
      () => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
      },
    );
    return promise;
  }

  /** Forgets one key, or everything. */
  invalidate(key?: string): void {
    if (key === undefined) this.#entries.clear();
    else this.#entries.delete(key);
  }

  #evict() {
    if (this.#entries.size <= this.#maxEntries) return;
    const now = this.#now();
    for (const [k, v] of this.#entries) {
      if (v.expiresAt <= now) this.#entries.delete(k);
    }
    // Still too many: drop the oldest settled ones (Map keeps insertion order).
    for (const [k, v] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries) break;
      if (v.expiresAt !== Number.POSITIVE_INFINITY) this.#entries.delete(k);
    }
  }
}
