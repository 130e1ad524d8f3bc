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
import { REASON_MAX, truncateReason } from '../lib/stale';
import { claimTypesOf, objectKey, type ClaimTypeRef } from './claimTypes';
import type { UpboundProviderConfig } from './config';

/** A claim type whose list failed while the rest of its control plane was read. */
export interface ClaimTypeFailure {
  ref: ClaimTypeRef;
  error: unknown;
}

/**
 * The outcome of reading one control plane; failures are data, so one never stops the others.
 * A read is `ok` once the claim APIs are read; a claim type that cannot be listed is one entry in
 * `failures` and never fails the others.
 */
export type ReadResult =
  | {
      ok: true;
      cp: ControlPlane;
      apis: ClaimApi[];
      /** Entities of the types that were listed, by type key. */
      claims: Map<string, Map<string, Entity>>;
      failures: ClaimTypeFailure[];
    }
  | { ok: false; cp: ControlPlane; error: unknown };

export { REASON_MAX };

/** A short, token-free reason for a failed read. */
export function failureReason(error: unknown): string {
  const text =
    error instanceof KubeError
      ? `${error.type}${error.statusCode ? ` (${error.statusCode})` : ''}: ${
          error.message
        }`
      : stringifyError(error);
  return truncateReason(text);
}

/**
 * Why a claim type could not be listed, saying what is missing when the API server does not
 * serve the type (its XRD is not Established, so Crossplane has not created the CRD).
 */
export function typeFailureMessage(failure: ClaimTypeFailure): string {
  const { ref, error } = failure;
  const type = (error as KubeError)?.type;
  if (type === 'not-found' || type === 'crd-missing') {
    const established = ref.api.established;
    const why =
      established && established.state !== 'True'
        ? `the XRD ${ref.api.name} is not Established${
            established.reason ? ` (${established.reason})` : ''
          }`
        : `the XRD ${ref.api.name} has no served CRD for it`;
    return truncateReason(
      `the API server does not serve ${ref.resourceType.plural}.${ref.resourceType.group}/${ref.resourceType.version}: ${why}`,
    );
  }
  return failureReason(error);
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

/** Settles with the work, or rejects with `onTimeout()` at the deadline; the work is abandoned. */
/** How long after the deadline an abandoned LIST keeps its socket. */
const SOCKET_GRACE_MS = 1_000;

function beforeDeadline<T>(
  work: Promise<T>,
  deadline: number,
  onTimeout: () => Error,
): Promise<T> {
  work.catch(() => {}); // abandoned after a timeout
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(onTimeout()),
      Math.max(deadline - Date.now(), 0),
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Reads one control plane's claim APIs and (when enabled) its claims and namespaced XRs, one LIST
 * per type in parallel, all within the per-control-plane timeout. The claim APIs must be read for
 * the read to count; a type whose LIST fails or is still running at the deadline fails alone.
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
  const timeoutMs = config.controlPlaneTimeoutMs;
  const deadline = Date.now() + timeoutMs;
  let apis: ClaimApi[];
  try {
    apis = await beforeDeadline(
      upbound.claimApis(cp.id, { refresh: true }),
      deadline,
      () =>
        new KubeError({
          type: 'timeout',
          cluster: cp.id,
          message: `Reading control plane ${cp.id} took longer than ${timeoutMs} ms`,
        }),
    );
  } catch (error) {
    return { ok: false, cp, error };
  }
  const claims = new Map<string, Map<string, Entity>>();
  const failures: ClaimTypeFailure[] = [];
  if (config.entities.claims) {
    await Promise.all(
      claimTypesOf(apis).map(async ref => {
        const what = `${ref.resourceType.plural}.${ref.resourceType.group}`;
        try {
          const { items } = await beforeDeadline(
            cp.client.list<KubeObject>(ref.resourceType, {
              // The request's own timeout only frees the socket; it ends just after the
              // deadline so the deadline's error is the one reported, never a race of two.
              timeoutMs: Math.max(deadline - Date.now(), 1) + SOCKET_GRACE_MS,
            }),
            deadline,
            () =>
              new KubeError({
                type: 'timeout',
                cluster: cp.id,
                message: `Listing ${what} in control plane ${cp.id} took longer than ${timeoutMs} ms`,
              }),
          );
          claims.set(ref.key, mapClaimItems(cp, ref, items, ctx));
        } catch (error) {
          failures.push({ ref, error });
        }
      }),
    );
  }
  return { ok: true, cp, apis, claims, failures };
}
