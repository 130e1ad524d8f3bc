import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_API_VERSION,
  ANNOTATION_CONTROL_PLANE_ID,
  ANNOTATION_KIND,
  ANNOTATION_NAME,
  ANNOTATION_NAMESPACE,
  type ObjectCoordinates,
} from '@upbound-backstage/plugin-upbound-common';

/** A catalog entity resolved to the control plane object it describes. @public */
export interface EntityTarget {
  entity: Entity;
  entityRef: string;
  target: ObjectCoordinates;
}

/**
 * Reads an entity from the catalog on behalf of the caller (so catalog permissions apply) and
 * resolves its `upbound.io/*` annotations to a claim or XR. Missing entities and entities that are
 * not claims or XRs are 404.
 * @public
 */
export class EntityTargetResolver {
  constructor(private readonly catalog: CatalogService) {}

  async resolve(
    ref: { kind: string; namespace: string; name: string },
    credentials: BackstageCredentials,
  ): Promise<EntityTarget> {
    const entity = await this.catalog.getEntityByRef(ref, { credentials });
    const display = `${ref.kind}:${ref.namespace}/${ref.name}`;
    if (!entity) throw new NotFoundError(`Entity ${display} not found`);
    const a = entity.metadata.annotations ?? {};
    const controlPlaneId = a[ANNOTATION_CONTROL_PLANE_ID];
    const apiVersion = a[ANNOTATION_API_VERSION];
    const kind = a[ANNOTATION_KIND];
    const name = a[ANNOTATION_NAME];
    if (!controlPlaneId || !apiVersion || !kind || !name) {
      throw new NotFoundError(
        `Entity ${display} is not an Upbound claim or composite resource (missing upbound.io/* annotations)`,
      );
    }
    const namespace = a[ANNOTATION_NAMESPACE];
    return {
      entity,
      entityRef: stringifyEntityRef(entity),
      target: {
        controlPlaneId,
        apiVersion,
        kind,
        name,
        ...(namespace ? { namespace } : {}),
      },
    };
  }
}
