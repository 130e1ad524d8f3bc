import { CompoundEntityRef, DEFAULT_NAMESPACE, Entity } from '@backstage/catalog-model';

/** The compound ref of an entity, for the entity routes of the backend. */
export function toCompoundRef(entity: Entity): CompoundEntityRef {
  return {
    kind: entity.kind,
    namespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE,
    name: entity.metadata.name,
  };
}
