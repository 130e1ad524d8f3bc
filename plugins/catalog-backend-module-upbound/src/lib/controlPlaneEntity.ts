import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_CONTROL_PLANE,
  ANNOTATION_CONTROL_PLANE_ID,
  ANNOTATION_CROSSPLANE_VERSION,
  ANNOTATION_GROUP,
  ANNOTATION_READY,
  ANNOTATION_SOURCE,
  ANNOTATION_SPACE,
  ANNOTATION_STATUS_REASON,
  ANNOTATION_CLAIM_TYPE_ERRORS,
  ANNOTATION_NEVER_READ,
  ENTITY_TYPE_CONTROL_PLANE,
  controlPlaneEntityName,
  type ClaimTypeReadError,
  type ControlPlaneSummary,
} from '@upbound-backstage/plugin-upbound-common';
import { locationAnnotations } from './entityRefs';
import type { MappingContext } from './mappingContext';
import { entityOwner } from './owner';

function describe(cp: ControlPlaneSummary): string {
  const where =
    cp.source === 'direct'
      ? 'Crossplane control plane (direct connection)'
      : `Upbound managed control plane in ${
          cp.source === 'cloud' ? 'Cloud ' : ''
        }Space ${cp.space}, group ${cp.group}`;
  return cp.message ? `${where}. ${cp.message}` : `${where}.`;
}

/** What the provider could not read of a control plane. @public */
export interface ControlPlaneReadState {
  /** Claim types whose list failed; recorded as an annotation and, by the processor, status items. */
  claimTypeErrors?: ClaimTypeReadError[];
  /** The control plane is stale and nothing of it was ever read. */
  neverRead?: boolean;
}

/**
 * A control plane as a Resource entity. The claim APIs it serves are listed in
 * `spec.dependencyOf`, so each API entity gets a `dependsOn` relation to the control planes
 * serving it (an API entity cannot declare relations itself).
 * @public
 */
export function controlPlaneToEntity(
  cp: ControlPlaneSummary,
  servedApiRefs: string[],
  ctx: MappingContext,
  readState: ControlPlaneReadState = {},
): Entity {
  const annotations: Record<string, string> = {
    ...locationAnnotations(ctx.providerName, cp.id),
    [ANNOTATION_CONTROL_PLANE_ID]: cp.id,
    [ANNOTATION_SOURCE]: cp.source,
    [ANNOTATION_CONTROL_PLANE]: cp.name,
    [ANNOTATION_READY]: cp.ready.state,
  };
  if (cp.space) annotations[ANNOTATION_SPACE] = cp.space;
  if (cp.group) annotations[ANNOTATION_GROUP] = cp.group;
  if (cp.crossplaneVersion)
    annotations[ANNOTATION_CROSSPLANE_VERSION] = cp.crossplaneVersion;
  if (cp.ready.state !== 'True' && cp.ready.reason) {
    annotations[ANNOTATION_STATUS_REASON] = cp.ready.reason;
  }
  if (readState.claimTypeErrors?.length) {
    // Sorted, and stable while the failures last, so the entity does not churn.
    const errors = [...readState.claimTypeErrors].sort(
      (a, b) =>
        a.group.localeCompare(b.group, 'en') ||
        a.kind.localeCompare(b.kind, 'en'),
    );
    annotations[ANNOTATION_CLAIM_TYPE_ERRORS] = JSON.stringify(errors);
  }
  if (readState.neverRead) annotations[ANNOTATION_NEVER_READ] = 'true';
  // Discovery already applied the owner rule to the ControlPlane object; the rest of the rule
  // (group, default) also covers control planes read from elsewhere.
  const owner = entityOwner(ctx, undefined, {
    namespace: cp.group,
    configured: cp.owner,
  });
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: controlPlaneEntityName(cp),
      title: cp.name,
      description: describe(cp),
      annotations,
      tags: ['upbound', 'crossplane'],
      ...(cp.consoleUrl
        ? {
            links: [
              {
                url: cp.consoleUrl,
                title: 'Upbound console',
                icon: 'dashboard',
              },
            ],
          }
        : {}),
    },
    spec: {
      type: ENTITY_TYPE_CONTROL_PLANE,
      owner,
      ...(servedApiRefs.length
        ? { dependencyOf: [...servedApiRefs].sort() }
        : {}),
      ...(ctx.system ? { system: ctx.system } : {}),
    },
  };
}
