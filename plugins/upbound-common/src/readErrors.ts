/**
 * What the catalog module could not read of a control plane, as it records it on the control
 * plane entity, and how the frontend reads it back.
 */
import type { KubeErrorType } from './types';

/**
 * On a control plane entity: the claim types (claims or namespaced XRs of one claim API) whose last
 * list failed, as a JSON array of {@link ClaimTypeReadError}. Their entities are the last good
 * ones, marked stale; every other type is current.
 * @public
 */
export const ANNOTATION_CLAIM_TYPE_ERRORS = 'upbound.io/claim-type-errors';

/**
 * `'true'` on a stale entity that was never read successfully (no last known state exists): the
 * catalog shows what the inventory says of the control plane, and none of its claims or APIs.
 * @public
 */
export const ANNOTATION_NEVER_READ = 'upbound.io/never-read';

/** Type of the entity status items the catalog module adds for failing claim types. @public */
export const STATUS_ITEM_TYPE_CLAIM_TYPE_READ = 'upbound.io/claim-type-read';

/** One claim type of a control plane that could not be listed. @public */
export interface ClaimTypeReadError {
  /** API group of the claim API. */
  group: string;
  /** Claim kind (legacy XRDs) or namespaced XR kind (v2 XRDs). */
  kind: string;
  /** Name of the XRD. */
  xrd: string;
  type: KubeErrorType;
  statusCode?: number;
  /** Why, without credentials; at most a few hundred characters. */
  message: string;
  /** ISO time of the first failed list of this outage; stable while it lasts. */
  since: string;
}

/** `<kind> (<group>)`, how a claim type is named in messages. @public */
export function claimTypeLabel(t: Pick<ClaimTypeReadError, 'group' | 'kind'>) {
  return `${t.kind} (${t.group})`;
}

/**
 * The claim type errors of a control plane entity's annotation; an absent or malformed value
 * reads as none.
 * @public
 */
export function parseClaimTypeErrors(
  value: string | undefined,
): ClaimTypeReadError[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (e): e is ClaimTypeReadError =>
        !!e &&
        typeof e === 'object' &&
        typeof e.group === 'string' &&
        typeof e.kind === 'string' &&
        typeof e.message === 'string',
    );
  } catch {
    return [];
  }
}
