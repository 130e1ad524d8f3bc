import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_API_VERSION,
  ANNOTATION_CONTROL_PLANE_ID,
  ANNOTATION_KIND,
  ANNOTATION_NAME,
  ANNOTATION_NAMESPACE,
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
  for (const e of mine) {
    if (e === controlPlane) continue;
    const a = e.metadata.annotations ?? {};
    const apiVersion = a[ANNOTATION_API_VERSION];
    const kind = a[ANNOTATION_KIND];
    const name = a[ANNOTATION_NAME];
    if (!apiVersion || !kind || !name) continue;
    const group = apiVersion.split('/')[0];
    const byName = claimsOfType(state, `${group}/${kind}`);
    const key = objectKey(a[ANNOTATION_NAMESPACE], name);
    if (!byName.has(key)) byName.set(key, toProvidedEntity(e));
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
  state.seeded = {
    ...(controlPlane ? { controlPlane: toProvidedEntity(controlPlane) } : {}),
    apis: apis.map(toProvidedEntity),
    templates: templates.map(toProvidedEntity),
  };
  return state;
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
