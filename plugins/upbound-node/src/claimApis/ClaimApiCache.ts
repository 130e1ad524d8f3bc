import type { ClaimApi } from '@upbound-backstage/plugin-upbound-common';

/** Options of {@link ClaimApiCache}. */
export interface ClaimApiCacheOptions {
  /** How long a read serves later calls. */
  ttlMs: number;
  now: () => number;
  /** Reads the claim APIs of a control plane by id. */
  load(controlPlaneId: string): Promise<ClaimApi[]>;
}

/**
 * Claim APIs per control plane, kept briefly: pages, cards and actions ask for the same control
 * plane's APIs many times in a row. Concurrent callers share one read; a failed read is not kept.
 */
export class ClaimApiCache {
  readonly #options: ClaimApiCacheOptions;
  readonly #entries = new Map<
    string,
    { at: number; value: Promise<ClaimApi[]> }
  >();

  constructor(options: ClaimApiCacheOptions) {
    this.#options = options;
  }

  get(
    controlPlaneId: string,
    options?: { refresh?: boolean },
  ): Promise<ClaimApi[]> {
    const { now, ttlMs, load } = this.#options;
    const cached = this.#entries.get(controlPlaneId);
    if (cached && !options?.refresh && now() - cached.at < ttlMs)
      return cached.value;
    const value = load(controlPlaneId);
    const entry = { at: now(), value };
    this.#entries.set(controlPlaneId, entry);
    value.catch(() => {
      if (this.#entries.get(controlPlaneId) === entry)
        this.#entries.delete(controlPlaneId);
    });
    return value;
  }
}
