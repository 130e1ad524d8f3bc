import type { Entity } from '@backstage/catalog-model';
import type {
  ClaimApi,
  ClaimTypeReadError,
  ControlPlaneSummary,
} from '@upbound-backstage/plugin-upbound-common';
import { truncateReason, type StaleMark } from '../lib/stale';

/**
 * What the provider knows about one control plane: its last good read (or what the catalog held
 * for it when no read has succeeded in this process), kept so a failed read never removes entities.
 */
export interface ControlPlaneState {
  id: string;
  /** The inventory's summary; absent when seeded from the catalog for a control plane discovery lost. */
  cp?: ControlPlaneSummary;
  /** Claim APIs of the last good read. */
  apis: ClaimApi[];
  /** Claim and XR entities by claim type key, then by `<namespace>/<name>`. */
  claims: Map<string, Map<string, Entity>>;
  /** True once the state holds a good read or a catalog seed: a failed read then keeps it. */
  complete: boolean;
  /** Set while reads fail: the entities are re-emitted with stale annotations. */
  stale?: StaleMark;
  /** Stale, and neither a read nor the catalog ever had anything of it: there is no last known state. */
  neverRead?: boolean;
  /**
   * Claim types (by key) whose last list failed while the control plane itself was read: their
   * entities are the last good ones, marked stale; the other types are current.
   */
  typeFailures?: Map<string, ClaimTypeReadError>;
  /** Entities read back from the catalog that the provider cannot rebuild without a good read. */
  seeded?: { controlPlane?: Entity; apis: Entity[]; templates: Entity[] };
}

/** An empty state for a control plane. */
export function emptyState(
  id: string,
  cp?: ControlPlaneSummary,
): ControlPlaneState {
  return {
    id,
    ...(cp ? { cp } : {}),
    apis: [],
    claims: new Map(),
    complete: false,
  };
}

/** The per-type map of claim entities, created on demand. */
export function claimsOfType(
  state: ControlPlaneState,
  typeKey: string,
): Map<string, Entity> {
  let m = state.claims.get(typeKey);
  if (!m) {
    m = new Map();
    state.claims.set(typeKey, m);
  }
  return m;
}

/** The stale mark of one claim type's entities: the control plane's, else the type's own. */
export function typeStaleMark(
  state: ControlPlaneState,
  typeKey: string,
): StaleMark | undefined {
  if (state.stale) return state.stale;
  const failure = state.typeFailures?.get(typeKey);
  if (!failure) return undefined;
  return {
    since: failure.since,
    reason: truncateReason(
      `${failure.kind} (${failure.group}) could not be listed: ${failure.message}`,
    ),
  };
}
