import type { ClaimApi } from '@upbound-backstage/plugin-upbound-common';
import {
  claimApiResourceTypes,
  type ResourceType,
} from '@upbound-backstage/plugin-upbound-node';
import type { ClaimObjectType } from '../lib/claimEntity';

/** A claim or namespaced XR type a claim API serves: what is listed and watched. */
export interface ClaimTypeRef {
  api: ClaimApi;
  type: ClaimObjectType;
  resourceType: ResourceType;
  /** `<group>/<kind>`: unique per control plane. */
  key: string;
}

/** The claim type of a legacy XRD that offers one, or the XR type of a namespaced v2 XRD. */
export function claimTypeOf(api: ClaimApi): ClaimTypeRef | undefined {
  const types = claimApiResourceTypes(api);
  if (types.claim) {
    return {
      api,
      type: 'claim',
      resourceType: types.claim,
      key: `${api.group}/${types.claim.kind}`,
    };
  }
  if (types.composite.namespaced) {
    return {
      api,
      type: 'composite',
      resourceType: types.composite,
      key: `${api.group}/${types.composite.kind}`,
    };
  }
  return undefined;
}

/** All claim types of a control plane's claim APIs. */
export function claimTypesOf(apis: ClaimApi[]): ClaimTypeRef[] {
  return apis.map(claimTypeOf).filter((t): t is ClaimTypeRef => !!t);
}

/** Key of an object within its type. */
export function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}
