import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { isError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_API_VERSION,
  ANNOTATION_CONTROL_PLANE_ID,
  ANNOTATION_ENTITY_REF,
  ANNOTATION_KIND,
  ANNOTATION_NAME,
  ANNOTATION_NAMESPACE,
  UPBOUND_PROVIDER_ORIGIN_PREFIX,
  type ObjectCoordinates,
} from '@upbound-backstage/plugin-upbound-common';
import type { UpboundService } from '@upbound-backstage/plugin-upbound-node';

/** A catalog entity resolved to the control plane object it describes. @public */
export interface EntityTarget {
  entity: Entity;
  entityRef: string;
  target: ObjectCoordinates;
  /** True when the Upbound entity provider emitted the entity (its annotations can be trusted). */
  fromProvider: boolean;
}

/**
 * True when the Upbound provider emitted the entity: the catalog overwrites both managed-by
 * annotations of everything read from a location, so users cannot forge them.
 */
export function isProviderEntity(entity: Entity): boolean {
  const a = entity.metadata.annotations ?? {};
  const origin = a[ANNOTATION_ORIGIN_LOCATION] ?? '';
  const cpId = a[ANNOTATION_CONTROL_PLANE_ID];
  return (
    entity.kind.toLowerCase() === 'resource' &&
    origin.startsWith(UPBOUND_PROVIDER_ORIGIN_PREFIX) &&
    !!cpId &&
    a[ANNOTATION_LOCATION] === `upbound:${cpId}`
  );
}

function sameEntityRef(a: string, b: string): boolean {
  try {
    return (
      stringifyEntityRef(parseEntityRef(a)).toLowerCase() === b.toLowerCase()
    );
  } catch {
    return false;
  }
}

/**
 * Reads an entity from the catalog on behalf of the caller (so catalog permissions apply) and
 * resolves its `upbound.io/*` annotations to a claim or XR. Missing entities and entities that are
 * not claims or XRs are 404.
 * @public
 */
export class EntityTargetResolver {
  constructor(
    private readonly catalog: CatalogService,
    private readonly upbound?: UpboundService,
  ) {}

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
      fromProvider: isProviderEntity(entity),
      target: {
        controlPlaneId,
        apiVersion,
        kind,
        name,
        ...(namespace ? { namespace } : {}),
      },
    };
  }

  /**
   * Refuses (403, with the reason) to act for an entity the Upbound provider did not emit unless
   * its annotations name a configured control plane and an object there that names this entity
   * back in `upbound.io/entity-ref`. Anyone who may register entities could otherwise point one
   * at another team's claim, own it, and act on that claim (a confused deputy).
   */
  async assertLegitimate(t: EntityTarget): Promise<void> {
    if (t.fromProvider) return;
    const where = `${t.target.kind} ${
      t.target.namespace ? `${t.target.namespace}/` : ''
    }${t.target.name}`;
    if (!this.upbound) {
      throw new NotAllowedError(
        `${t.entityRef} was not emitted by the Upbound catalog provider`,
      );
    }
    let cp;
    try {
      cp = await this.upbound.controlPlane(t.target.controlPlaneId);
    } catch (e) {
      if (isError(e) && e.name === 'NotFoundError') {
        throw new NotAllowedError(
          `${t.entityRef} was not emitted by the Upbound catalog provider and names control plane '${t.target.controlPlaneId}', which is not configured`,
        );
      }
      throw e;
    }
    const type = await cp.client.resolve(t.target.apiVersion, t.target.kind);
    const obj = await cp.client.tryGet(
      type,
      t.target.name,
      type.namespaced ? t.target.namespace : undefined,
    );
    const back = obj?.metadata?.annotations?.[ANNOTATION_ENTITY_REF];
    if (!obj || !back || !sameEntityRef(back, t.entityRef)) {
      throw new NotAllowedError(
        `${t.entityRef} was not emitted by the Upbound catalog provider, and ${where} in ${cp.id} does not name it in its ${ANNOTATION_ENTITY_REF} annotation`,
      );
    }
  }
}
