import type { Entity } from '@backstage/catalog-model';
import { stringifyError } from '@backstage/errors';
import type {
  ClaimApi,
  ControlPlaneSummary,
} from '@upbound-backstage/plugin-upbound-common';
import {
  KubeError,
  type ControlPlane,
  type KubeObject,
  type UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import { claimToEntity } from '../lib/claimEntity';
import type { MappingContext } from '../lib/mappingContext';
import { claimTypesOf, objectKey, type ClaimTypeRef } from './claimTypes';
import type { UpboundProviderConfig } from './config';

/** The outcome of reading one control plane; failures are data, so one never stops the others. */
export type ReadResult =
  | {
      ok: true;
      cp: ControlPlane;
      apis: ClaimApi[];
      claims: Map<string, Map<string, Entity>>;
    }
  | { ok: false; cp: ControlPlane; error: unknown };

/** Longest stale reason kept in an annotation or log line. */
export const REASON_MAX = 200;

/** A short, token-free reason for a failed read. */
export function failureReason(error: unknown): string {
  const text =
    error instanceof KubeError
      ? `${error.type}${error.statusCode ? ` (${error.statusCode})` : ''}: ${
          error.message
        }`
      : stringifyError(error);
  return text.length > REASON_MAX ? `${text.slice(0, REASON_MAX - 1)}…` : text;
}

/** Maps listed claims or XRs of one type to entities by `<namespace>/<name>`. */
export function mapClaimItems(
  cp: ControlPlaneSummary,
  ref: ClaimTypeRef,
  items: KubeObject[],
  ctx: MappingContext,
): Map<string, Entity> {
  const byName = new Map<string, Entity>();
  for (const obj of items) {
    const entity = claimToEntity(cp, ref.api, ref.type, obj, ctx);
    if (entity)
      byName.set(
        objectKey(obj.metadata?.namespace, obj.metadata!.name!),
        entity,
      );
  }
  return byName;
}

/**
 * Reads one control plane's claim APIs and (when enabled) its claims and namespaced XRs, one LIST
 * per type in parallel, within the per-control-plane timeout.
 */
export async function readControlPlane(
  cp: ControlPlane,
  options: {
    upbound: UpboundService;
    config: Pick<UpboundProviderConfig, 'controlPlaneTimeoutMs' | 'entities'>;
    ctx: MappingContext;
  },
): Promise<ReadResult> {
  const { upbound, config, ctx } = options;
  // A control plane its Space reports as not Ready is not serving (the ingress answers 503 and
  // the access layer would retry with backoff); fail fast so it never delays the full sync.
  if (cp.source !== 'direct' && cp.ready.state === 'False') {
    const why = [cp.ready.reason, cp.ready.message ?? cp.message]
      .filter(Boolean)
      .join(': ');
    return {
      ok: false,
      cp,
      error: new KubeError({
        type: 'unreachable',
        cluster: cp.id,
        message: `Control plane ${cp.id} is not ready in its Space${
          why ? ` (${why})` : ''
        }`,
      }),
    };
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new KubeError({
              type: 'timeout',
              cluster: cp.id,
              message: `Reading control plane ${cp.id} took longer than ${config.controlPlaneTimeoutMs} ms`,
            }),
          ),
        config.controlPlaneTimeoutMs,
      );
    });
    const work = (async () => {
      const apis = await upbound.claimApis(cp.id, { refresh: true });
      const claims = new Map<string, Map<string, Entity>>();
      if (config.entities.claims) {
        await Promise.all(
          claimTypesOf(apis).map(async ref => {
            const { items } = await cp.client.list<KubeObject>(
              ref.resourceType,
            );
            claims.set(ref.key, mapClaimItems(cp, ref, items, ctx));
          }),
        );
      }
      return { apis, claims };
    })();
    work.catch(() => {}); // abandoned after a timeout
    const { apis, claims } = await Promise.race([work, timeout]);
    return { ok: true, cp, apis, claims };
  } catch (error) {
    return { ok: false, cp, error };
  } finally {
    clearTimeout(timer);
  }
}
