import {
  ANNOTATION_ORIGIN_LOCATION,
  type Entity,
} from '@backstage/catalog-model';
import type {
  AlphaEntity,
  EntityStatusItem,
} from '@backstage/catalog-model/alpha';
import type { CatalogProcessor } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_CLAIM_TYPE_ERRORS,
  ENTITY_TYPE_CONTROL_PLANE,
  STATUS_ITEM_TYPE_CLAIM_TYPE_READ,
  claimTypeLabel,
  parseClaimTypeErrors,
} from '@upbound-backstage/plugin-upbound-common';
import { providerOrigin } from '../lib/entityRefs';

/** Origin of every entity of the Upbound providers, whatever their config id. */
const ORIGIN_PREFIX = providerOrigin('upbound-provider:');

/**
 * Turns the claim types a control plane entity could not list (the provider records them in an
 * annotation) into entity status items, where Backstage shows entity problems. Providers cannot
 * emit `status` themselves (the catalog's policies reject unknown root fields before processing),
 * so this runs in the post-processing step, after the policies.
 * @public
 */
export class UpboundStatusProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'UpboundStatusProcessor';
  }

  async postProcessEntity(entity: Entity): Promise<Entity> {
    const annotations = entity.metadata.annotations ?? {};
    if (
      entity.kind !== 'Resource' ||
      entity.spec?.type !== ENTITY_TYPE_CONTROL_PLANE ||
      !annotations[ANNOTATION_ORIGIN_LOCATION]?.startsWith(ORIGIN_PREFIX)
    ) {
      return entity;
    }
    const errors = parseClaimTypeErrors(
      annotations[ANNOTATION_CLAIM_TYPE_ERRORS],
    );
    if (!errors.length) return entity;
    const items: EntityStatusItem[] = errors.map(e => ({
      type: STATUS_ITEM_TYPE_CLAIM_TYPE_READ,
      level: 'warning',
      message: `Claims of ${claimTypeLabel(e)} could not be listed since ${
        e.since
      }; the catalog keeps their last known state, every other claim type is current. ${
        e.message
      }`,
      error: {
        name: 'ClaimTypeReadError',
        message: e.message,
        ...(e.statusCode ? { statusCode: e.statusCode } : {}),
      },
    }));
    const alpha = entity as AlphaEntity;
    return {
      ...alpha,
      status: {
        ...alpha.status,
        items: [...(alpha.status?.items ?? []), ...items],
      },
    } as Entity;
  }
}
