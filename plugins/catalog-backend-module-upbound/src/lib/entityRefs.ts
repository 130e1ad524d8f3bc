import {
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_LOCATION,
  type Entity,
} from '@backstage/catalog-model';
import {
  appClusterEntityName,
  claimApiEntityName,
  controlPlaneEntityName,
  type ClaimApi,
  type ControlPlaneSummary,
} from '@upbound-backstage/plugin-upbound-common';

/** Entity ref of a control plane's Resource entity. @public */
export function controlPlaneEntityRef(cp: ControlPlaneSummary): string {
  return `resource:default/${controlPlaneEntityName(cp)}`;
}

/** Entity ref of a claim API's API entity. @public */
export function claimApiEntityRef(
  api: Pick<ClaimApi, 'group' | 'kind' | 'claimKind'>,
): string {
  return `api:default/${claimApiEntityName(api)}`;
}

/** Entity ref of an app cluster's Resource entity. @public */
export function appClusterEntityRef(name: string): string {
  return `resource:default/${appClusterEntityName(name)}`;
}

/** Value of `backstage.io/managed-by-origin-location` on every entity of a provider. @public */
export function providerOrigin(providerName: string): string {
  return `upbound:${providerName}`;
}

/**
 * The managed-by annotations: the origin names the provider (so its entities can be found in the
 * catalog again), the location names the control plane when the entity belongs to one.
 */
export function locationAnnotations(
  providerName: string,
  controlPlaneId?: string,
): Record<string, string> {
  const origin = providerOrigin(providerName);
  return {
    [ANNOTATION_LOCATION]: controlPlaneId
      ? `upbound:${controlPlaneId}`
      : origin,
    [ANNOTATION_ORIGIN_LOCATION]: origin,
  };
}

/** Deterministic JSON (sorted keys) to compare mapped entities. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b, 'en'));
    return `{${entries
      .map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** True when two entities would store the same content. */
export function sameEntity(
  a: Entity | undefined,
  b: Entity | undefined,
): boolean {
  return !!a && !!b && stableStringify(a) === stableStringify(b);
}
