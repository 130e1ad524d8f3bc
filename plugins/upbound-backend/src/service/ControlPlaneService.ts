import {
  CONNECTOR_LABEL_APP_CLUSTER,
  isFailing,
  type ClaimApi,
  type ControlPlaneCounts,
  type ControlPlaneList,
  type ControlPlaneListItem,
  type ControlPlaneSummary,
} from '@upbound-backstage/plugin-upbound-common';
import type {
  ControlPlane,
  UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import pLimit from 'p-limit';
import { CoalescingCache } from './CoalescingCache';
import { ClaimService, claimTargetOf, type ClaimTarget } from './ClaimService';
import { toClusterError } from '@upbound-backstage/plugin-upbound-node';

/** Default time the per-control-plane counts are served from cache. @public */
export const DEFAULT_COUNTS_TTL_MS = 15000;
/** Default number of control planes counted in parallel. @public */
export const DEFAULT_COUNTS_CONCURRENCY = 4;

/** Only the summary fields: never the client, server URL or CA. @public */
export function toControlPlaneSummary(
  cp: ControlPlaneSummary,
): ControlPlaneSummary {
  const out: ControlPlaneSummary = {
    id: cp.id,
    source: cp.source,
    name: cp.name,
    ready: cp.ready,
    conditions: cp.conditions ?? [],
  };
  const optional = [
    'space',
    'group',
    'healthy',
    'crossplaneVersion',
    'message',
    'consoleUrl',
    'owner',
    'createdAt',
  ] as const;
  for (const key of optional) {
    if (cp[key] !== undefined) (out as any)[key] = cp[key];
  }
  return out;
}

type CountsResult =
  | { counts: ControlPlaneCounts }
  | { error: ControlPlaneListItem['error'] };

/**
 * The control plane list with counts (claim APIs, claims, failing claims, connected app clusters),
 * computed with a bounded fan-out and cached briefly. An unreachable control plane is listed with
 * its `error`, never dropped.
 * @public
 */
export class ControlPlaneService {
  readonly #upbound: UpboundService;
  readonly #claims: ClaimService;
  readonly #cache: CoalescingCache<CountsResult>;
  readonly #concurrency: number;

  constructor(options: {
    upbound: UpboundService;
    claims: ClaimService;
    countsTtlMs?: number;
    concurrency?: number;
  }) {
    this.#upbound = options.upbound;
    this.#claims = options.claims;
    this.#cache = new CoalescingCache({
      ttlMs: options.countsTtlMs ?? DEFAULT_COUNTS_TTL_MS,
    });
    this.#concurrency = options.concurrency ?? DEFAULT_COUNTS_CONCURRENCY;
  }

  async list(): Promise<ControlPlaneList> {
    const snapshot = await this.#upbound.inventory();
    const limit = pLimit(this.#concurrency);
    const items = await Promise.all(
      snapshot.controlPlanes.map(cp => limit(() => this.#item(cp))),
    );
    return {
      items,
      errors: [
        ...snapshot.errors,
        ...items.flatMap(i => (i.error ? [i.error] : [])),
      ],
    };
  }

  async detail(
    id: string,
  ): Promise<ControlPlaneListItem & { claimApis: ClaimApi[] }> {
    const cp = await this.#upbound.controlPlane(id);
    const item = await this.#item(cp);
    let claimApis: ClaimApi[] = [];
    if (!item.error) {
      try {
        claimApis = await this.#upbound.claimApis(cp.id);
      } catch (e) {
        item.error = toClusterError(cp.id, e);
      }
    }
    return { ...item, claimApis };
  }

  async #item(cp: ControlPlane): Promise<ControlPlaneListItem> {
    const result = await this.#cache.get(cp.id, () => this.#counts(cp));
    return { ...toControlPlaneSummary(cp), ...result };
  }

  async #counts(cp: ControlPlane): Promise<CountsResult> {
    try {
      const apis = await this.#upbound.claimApis(cp.id);
      const all = apis.map(claimTargetOf).filter((t): t is ClaimTarget => !!t);
      const { items, errors } = await this.#claims.listAll(cp, all);
      // Every claim API failing means the control plane itself is not answering.
      if (all.length > 0 && errors.length === all.length) {
        return { error: errors[0] };
      }
      const appClusters = new Set(
        items.map(c => c.labels?.[CONNECTOR_LABEL_APP_CLUSTER]).filter(Boolean),
      );
      return {
        counts: {
          claimApiCount: apis.length,
          claimCount: items.length,
          failingClaimCount: items.filter(isFailing).length,
          appClusterCount: appClusters.size,
        },
      };
    } catch (e) {
      return { error: toClusterError(cp.id, e) };
    }
  }
}
