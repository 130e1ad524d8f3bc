import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ControlPlaneSummary } from '@upbound-backstage/plugin-upbound-common';
import type {
  ControlPlane,
  KubeObject,
  WatchEventType,
  WatchHandle,
} from '@upbound-backstage/plugin-upbound-node';
import type { ClaimTypeRef } from './claimTypes';

/** Receives what the watches see. */
export interface ClaimWatchListener {
  onEvent(
    cp: ControlPlaneSummary,
    ref: ClaimTypeRef,
    type: WatchEventType,
    obj: KubeObject,
  ): void;
  onSync(cp: ControlPlaneSummary, ref: ClaimTypeRef, items: KubeObject[]): void;
}

/** What should be watched in one control plane. */
export interface WatchTarget {
  controlPlane: ControlPlane;
  types: ClaimTypeRef[];
}

function watchKey(cpId: string, ref: ClaimTypeRef): string {
  return `${cpId}|${ref.resourceType.apiVersion}|${ref.resourceType.plural}`;
}

/**
 * Keeps one watch per claim (or namespaced XR) type per control plane open, through the access
 * layer's `KubeClient.watch` (which relists on 410 Gone and reconnects with backoff).
 */
export class ClaimWatcher {
  readonly #logger: LoggerService;
  readonly #listener: ClaimWatchListener;
  readonly #watches = new Map<
    string,
    { cpId: string; handle: WatchHandle; client: unknown }
  >();
  #stopped = false;

  constructor(options: {
    logger: LoggerService;
    listener: ClaimWatchListener;
  }) {
    this.#logger = options.logger;
    this.#listener = options.listener;
  }

  /**
   * Starts and stops watches to match the targets. Control planes in `keep` (known but whose claim
   * APIs could not be read just now) keep their current watches; all others not targeted stop.
   */
  reconcile(targets: WatchTarget[], keep: Set<string> = new Set()): void {
    if (this.#stopped) return;
    const wanted = new Map<
      string,
      { target: WatchTarget; ref: ClaimTypeRef }
    >();
    for (const target of targets) {
      for (const ref of target.types) {
        wanted.set(watchKey(target.controlPlane.id, ref), { target, ref });
      }
    }
    for (const [key, w] of this.#watches) {
      const want = wanted.get(key);
      if (keep.has(w.cpId) && !want) continue;
      // A new client means the control plane was re-discovered (new endpoint or credentials).
      if (!want || want.target.controlPlane.client !== w.client) {
        w.handle.stop();
        this.#watches.delete(key);
      }
    }
    let started = 0;
    for (const [key, { target, ref }] of wanted) {
      if (this.#watches.has(key)) continue;
      const cp = target.controlPlane;
      const handle = cp.client.watch<KubeObject>(
        ref.resourceType,
        {},
        {
          onEvent: (type, obj) => this.#listener.onEvent(cp, ref, type, obj),
          onSync: items => this.#listener.onSync(cp, ref, items),
          onError: error =>
            this.#logger.debug(
              `Watch of ${ref.resourceType.plural}.${ref.resourceType.group} in control plane ${cp.id} failed, retrying: ${error.message}`,
            ),
        },
      );
      handle.ready.catch(error =>
        this.#logger.debug(`Watch of ${key} did not start: ${error}`),
      );
      this.#watches.set(key, { cpId: cp.id, handle, client: cp.client });
      started++;
    }
    if (started) {
      this.#logger.debug(
        `Started ${started} claim watches; ${this.#watches.size} open`,
      );
    }
  }

  /** Number of open watches. */
  get size(): number {
    return this.#watches.size;
  }

  /** Stops every watch; later reconciles do nothing. */
  stop(): void {
    this.#stopped = true;
    for (const w of this.#watches.values()) w.handle.stop();
    this.#watches.clear();
  }
}
