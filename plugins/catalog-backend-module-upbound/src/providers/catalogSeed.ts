import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_API_VERSION,
  ANNOTATION_CONTROL_PLANE_ID,
  ANNOTATION_KIND,
  ANNOTATION_NAME,
  ANNOTATION_NAMESPACE,
  ANNOTATION_NEVER_READ,
  ANNOTATION_XRD,
  ENTITY_TYPE_CONTROL_PLANE,
} from '@upbound-backstage/plugin-upbound-common';
import { toProvidedEntity } from '../lib/stale';
import { claimsOfType, type ControlPlaneState } from './ControlPlaneState';
import { objectKey } from './claimTypes';

/**
 * Rebuilds a control plane's state from the entities the catalog holds for it (emitted by this or
 * another replica before), so a control plane that fails before any good read in this process
 * keeps its entities through the next `full` mutation.
 */
export function seedStateFromCatalog(
  base: ControlPlaneState,
  providerEntities: Entity[],
): ControlPlaneState {
  const state: ControlPlaneState = {
    ...base,
    claims: new Map(base.claims),
    complete: true,
  };
  const mine = providerEntities.filter(
    e => e.metadata.annotations?.[ANNOTATION_CONTROL_PLANE_ID] === base.id,
  );
  const controlPlane = mine.find(
    e => e.kind === 'Resource' && e.spec?.type === ENTITY_TYPE_CONTROL_PLANE,
  );
  for (const [typeKey, key, e] of claimEntries(mine)) {
    const byName = claimsOfType(state, typeKey);
    if (!byName.has(key)) byName.set(key, e);
  }
  const servedRefs = new Set(
    (controlPlane?.spec?.dependencyOf as string[] | undefined) ?? [],
  );
  const apis = providerEntities.filter(
    e => e.kind === 'API' && servedRefs.has(stringifyEntityRef(e)),
  );
  const xrds = new Set(
    apis.map(e => e.metadata.annotations?.[ANNOTATION_XRD]).filter(Boolean),
  );
  const templates = providerEntities.filter(
    e =>
      e.kind === 'Template' &&
      xrds.has(e.metadata.annotations?.[ANNOTATION_XRD]),
  );
  // Nothing of it in the catalog: the control plane entity will say so instead of "last known".
  const onlyUnread =
    mine.length === 0 ||
    (mine.length === 1 &&
      !!controlPlane?.metadata.annotations?.[ANNOTATION_NEVER_READ]);
  if (onlyUnread && !state.apis.length && !state.claims.size)
    state.neverRead = true;
  else delete state.neverRead;
  state.seeded = {
    ...(controlPlane ? { controlPlane: toProvidedEntity(controlPlane) } : {}),
    apis: apis.map(toProvidedEntity),
    templates: templates.map(toProvidedEntity),
  };
  return state;
}

/** Claim and XR entities among a control plane's provider entities, as [type key, object key, entity]. */
function claimEntries(mine: Entity[]): Array<[string, string, Entity]> {
  const out: Array<[string, string, Entity]> = [];
  for (const e of mine) {
    if (e.kind !== 'Resource' || e.spec?.type === ENTITY_TYPE_CONTROL_PLANE)
      continue;
    const a = e.metadata.annotations ?? {};
    const apiVersion = a[ANNOTATION_API_VERSION];
    const kind = a[ANNOTATION_KIND];
    const name = a[ANNOTATION_NAME];
    if (!apiVersion || !kind || !name) continue;
    const group = apiVersion.split('/')[0];
    out.push([
      `${group}/${kind}`,
      objectKey(a[ANNOTATION_NAMESPACE], name),
      toProvidedEntity(e),
    ]);
  }
  return out;
}

/**
 * The entities of one claim type of a control plane as the catalog holds them: the last known
 * state of a type that fails before this process has listed it.
 */
export function seedTypeFromCatalog(
  controlPlaneId: string,
  typeKey: string,
  providerEntities: Entity[],
): Map<string, Entity> {
  const byName = new Map<string, Entity>();
  const mine = providerEntities.filter(
    e =>
      e.metadata.annotations?.[ANNOTATION_CONTROL_PLANE_ID] === controlPlaneId,
  );
  for (const [key, objKey, e] of claimEntries(mine)) {
    if (key === typeKey && !byName.has(objKey)) byName.set(objKey, e);
  }
  return byName;
}

/** Control plane ids the catalog holds entities for. */
export function controlPlaneIdsIn(providerEntities: Entity[]): Set<string> {
  const ids = new Set<string>();
  for (const e of providerEntities) {
    const id = e.metadata.annotations?.[ANNOTATION_CONTROL_PLANE_ID];
    if (id) ids.add(id);
  }
  return ids;
}
