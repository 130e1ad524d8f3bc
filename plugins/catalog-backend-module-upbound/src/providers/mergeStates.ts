import type { Entity } from '@backstage/catalog-model';
import type {
  ClaimTypeReadError,
  ClusterError,
} from '@upbound-backstage/plugin-upbound-common';
import { KubeError } from '@upbound-backstage/plugin-upbound-node';
import type { StaleMark } from '../lib/stale';
import {
  controlPlaneIdsIn,
  seedStateFromCatalog,
  seedTypeFromCatalog,
} from './catalogSeed';
import { emptyState, type ControlPlaneState } from './ControlPlaneState';
import {
  failureReason,
  REASON_MAX,
  typeFailureMessage,
  type ClaimTypeFailure,
  type ReadResult,
} from './readControlPlane';

/** A change a watch reported while a full read of the same control plane was in flight. */
export type JournalEntry = { typeKey: string; key: string; entity?: Entity };

/** What one full sync read, and what the provider knew before it. */
export interface MergeStatesInput {
  /** One read per control plane of the inventory. */
  results: ReadResult[];
  /** The states after the last full sync (and the watches since). */
  previous: ReadonlyMap<string, ControlPlaneState>;
  /** Discovery errors of the inventory the reads came from. */
  discoveryErrors: ClusterError[];
  /** ISO time of this sync: the `since` of failures that start now. */
  now: string;
}

/** The next states, and what of them only the catalog can fill in. */
export interface MergedStates {
  states: Map<string, ControlPlaneState>;
  /** Failed control planes with no good read in this process: read back from the catalog. */
  toSeed: ControlPlaneState[];
  /** Failing claim types with no last good entities in this process: read back from the catalog. */
  typesToSeed: Array<{ state: ControlPlaneState; typeKey: string }>;
  /** Why control planes missing from the inventory are kept; set when discovery failed. */
  discoveryReason?: string;
}

/** The recorded error of a failing claim type; its `since` stays while the failure lasts. */
function typeReadError(
  failure: ClaimTypeFailure,
  prev: ControlPlaneState | undefined,
  now: string,
): ClaimTypeReadError {
  const { ref, error } = failure;
  const kubeError = error instanceof KubeError ? error : undefined;
  return {
    group: ref.api.group,
    kind: ref.resourceType.kind,
    xrd: ref.api.name,
    type: kubeError?.type ?? 'unknown',
    ...(kubeError?.statusCode ? { statusCode: kubeError.statusCode } : {}),
    message: typeFailureMessage(failure),
    since: prev?.typeFailures?.get(ref.key)?.since ?? now,
  };
}

/**
 * Merges one full sync's reads into the provider's states, without side effects: a good read
 * replaces its control plane's state, except claim types that failed, which keep their last good
 * entities; a failed read keeps the last good state, marked stale; when discovery failed, control
 * planes missing from the inventory are kept, marked stale. What this process never read is
 * listed for {@link seedFromCatalog}.
 */
export function mergeStates(input: MergeStatesInput): MergedStates {
  const { results, previous, discoveryErrors, now } = input;
  const states = new Map<string, ControlPlaneState>();
  const toSeed: ControlPlaneState[] = [];
  const typesToSeed: MergedStates['typesToSeed'] = [];
  for (const r of results) {
    const prev = previous.get(r.cp.id);
    if (r.ok) {
      const state: ControlPlaneState = {
        id: r.cp.id,
        cp: r.cp,
        apis: r.apis,
        claims: new Map(r.claims),
        complete: true,
      };
      const failures = new Map<string, ClaimTypeReadError>();
      for (const f of r.failures) {
        failures.set(f.ref.key, typeReadError(f, prev, now));
        const lastGood = prev?.complete
          ? prev.claims.get(f.ref.key)
          : undefined;
        if (lastGood) state.claims.set(f.ref.key, lastGood);
        else typesToSeed.push({ state, typeKey: f.ref.key });
      }
      if (failures.size) state.typeFailures = failures;
      states.set(r.cp.id, state);
      continue;
    }
    const stale: StaleMark = prev?.stale ?? {
      since: now,
      reason: failureReason(r.error),
    };
    const state: ControlPlaneState = {
      ...(prev ?? emptyState(r.cp.id)),
      cp: r.cp,
      stale,
    };
    states.set(r.cp.id, state);
    if (!state.complete) toSeed.push(state);
  }

  // Control planes missing from an inventory that had discovery errors may still exist.
  if (!discoveryErrors.length) return { states, toSeed, typesToSeed };
  const discoveryReason = `discovery failed: ${discoveryErrors
    .map(e => `${e.cluster}: ${e.message}`)
    .join('; ')}`.slice(0, REASON_MAX);
  for (const [id, prev] of previous) {
    if (states.has(id) || !prev.complete) continue;
    states.set(id, {
      ...prev,
      stale: prev.stale ?? { since: now, reason: discoveryReason },
    });
  }
  return { states, toSeed, typesToSeed, discoveryReason };
}

/**
 * Whether the merge needs the catalog's copy of this provider's entities before a `full`
 * mutation is safe: something failed that this process never read, or discovery failed before
 * any full mutation (control planes it lost may be known only to the catalog).
 */
export function needsCatalogSeed(
  merged: MergedStates,
  appliedFull: boolean,
): boolean {
  return (
    merged.toSeed.length > 0 ||
    merged.typesToSeed.length > 0 ||
    (merged.discoveryReason !== undefined && !appliedFull)
  );
}

/** Fills the merge's states from the entities the catalog holds for this provider. */
export function seedFromCatalog(
  merged: MergedStates,
  fromCatalog: Entity[],
  now: string,
): void {
  const { states, discoveryReason } = merged;
  for (const { state, typeKey } of merged.typesToSeed)
    state.claims.set(
      typeKey,
      seedTypeFromCatalog(state.id, typeKey, fromCatalog),
    );
  for (const state of merged.toSeed)
    states.set(state.id, seedStateFromCatalog(state, fromCatalog));
  if (discoveryReason === undefined) return;
  for (const id of controlPlaneIdsIn(fromCatalog)) {
    if (states.has(id)) continue;
    const stale = { since: now, reason: discoveryReason };
    states.set(
      id,
      seedStateFromCatalog({ ...emptyState(id), stale }, fromCatalog),
    );
  }
}

/**
 * Replays the changes the watches saw while the reads ran onto the control planes that were read:
 * they are newer than what the reads returned.
 */
export function replayJournal(
  merged: MergedStates,
  results: ReadResult[],
  journal: ReadonlyMap<string, JournalEntry[]>,
): void {
  for (const r of results) {
    if (!r.ok) continue;
    const state = merged.states.get(r.cp.id);
    if (!state) continue;
    for (const j of journal.get(r.cp.id) ?? []) {
      const byName = state.claims.get(j.typeKey) ?? new Map<string, Entity>();
      state.claims.set(j.typeKey, byName);
      if (j.entity) byName.set(j.key, j.entity);
      else byName.delete(j.key);
    }
  }
}
