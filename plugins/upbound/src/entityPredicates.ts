import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_CONTROL_PLANE_ID,
  ENTITY_TYPE_CLAIM,
  ENTITY_TYPE_COMPOSITE,
  ENTITY_TYPE_CONTROL_PLANE,
} from '@upbound-backstage/plugin-upbound-common';

function specType(entity: Entity): string | undefined {
  const type = entity.spec?.type;
  return typeof type === 'string' ? type : undefined;
}

/**
 * True for a control plane entity (kind Resource, spec.type upbound-control-plane).
 * @public
 */
export function isUpboundControlPlaneEntity(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    specType(entity) === ENTITY_TYPE_CONTROL_PLANE &&
    !!entity.metadata.annotations?.[ANNOTATION_CONTROL_PLANE_ID]
  );
}

/**
 * True for a claim or composite resource entity (spec.type crossplane-claim or crossplane-composite).
 * @public
 */
export function isUpboundClaimEntity(entity: Entity): boolean {
  const type = specType(entity);
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    (type === ENTITY_TYPE_CLAIM || type === ENTITY_TYPE_COMPOSITE)
  );
}
