import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_NEVER_READ,
  ANNOTATION_STALE,
  ANNOTATION_STALE_REASON,
} from '@upbound-backstage/plugin-upbound-common';

/** Longest stale reason kept in an annotation or log line. @public */
export const REASON_MAX = 200;

/** A reason cut to {@link REASON_MAX} characters. @public */
export function truncateReason(text: string): string {
  return text.length > REASON_MAX ? `${text.slice(0, REASON_MAX - 1)}…` : text;
}

/** Why and since when a control plane's entities are served from its last good read. @public */
export interface StaleMark {
  /** ISO time of the first failed read of the current outage (stable while it lasts). */
  since: string;
  reason: string;
}

/** A copy of the entity marked stale. @public */
export function markStale(entity: Entity, mark: StaleMark): Entity {
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      annotations: {
        ...entity.metadata.annotations,
        [ANNOTATION_STALE]: mark.since,
        [ANNOTATION_STALE_REASON]: mark.reason,
      },
    },
  };
}

/**
 * An entity as read back from the catalog, reduced to what a provider emits (no uid, etag,
 * relations or status, and no stale or never-read marks; they are added again when re-emitted).
 * @public
 */
export function toProvidedEntity(entity: Entity): Entity {
  const {
    uid: _u,
    etag: _e,
    generation: _g,
    ...metadata
  } = entity.metadata as Entity['metadata'] & {
    generation?: number;
  };
  const annotations = { ...metadata.annotations };
  delete annotations[ANNOTATION_STALE];
  delete annotations[ANNOTATION_STALE_REASON];
  delete annotations[ANNOTATION_NEVER_READ];
  return {
    apiVersion: entity.apiVersion,
    kind: entity.kind,
    metadata: { ...metadata, annotations },
    ...(entity.spec ? { spec: entity.spec } : {}),
  };
}
