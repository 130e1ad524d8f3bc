import {
  conditionsOf,
  summarizeCondition,
  type ClaimApi,
  type ClaimApiVersion,
} from '@upbound-backstage/plugin-upbound-common';
import type { KubeObject, ResourceType } from '../types';
import { resourceType } from '../kube/wellKnownTypes';

/**
 * Reads a claim API from a CompositeResourceDefinition (v1 or v2). Returns undefined for objects
 * that lack the required names, so one malformed XRD never hides the others.
 * @public
 */
export function xrdToClaimApi(xrd: KubeObject): ClaimApi | undefined {
  const spec = xrd.spec;
  const group: unknown = spec?.group;
  const kind: unknown = spec?.names?.kind;
  const plural: unknown = spec?.names?.plural;
  if (
    typeof group !== 'string' ||
    typeof kind !== 'string' ||
    typeof plural !== 'string'
  ) {
    return undefined;
  }
  const xrdApiVersion = xrd.apiVersion ?? 'apiextensions.crossplane.io/v1';
  const isV2 = xrdApiVersion.endsWith('/v2');
  // v1 defaults to LegacyCluster, v2 to Namespaced.
  const defaultScope = isV2 ? 'Namespaced' : 'LegacyCluster';
  const scope: string =
    typeof spec.scope === 'string' ? spec.scope : defaultScope;
  const versions: ClaimApiVersion[] = Array.isArray(spec.versions)
    ? spec.versions
        .filter((v: any) => v && typeof v.name === 'string')
        .map((v: any) => {
          const out: ClaimApiVersion = {
            name: v.name,
            served: v.served !== false,
            referenceable: v.referenceable === true,
          };
          if (v.deprecated) out.deprecated = true;
          const schema = v.schema?.openAPIV3Schema;
          if (schema && typeof schema === 'object') out.schema = schema;
          return out;
        })
    : [];
  const conditions = conditionsOf(xrd);
  const api: ClaimApi = {
    name: xrd.metadata?.name ?? `${plural}.${group}`,
    xrdApiVersion,
    group,
    kind,
    plural,
    scope,
    versions,
  };
  const referenceable =
    versions.find(v => v.referenceable) ?? versions.find(v => v.served);
  if (referenceable) api.referenceableVersion = referenceable.name;
  const claimKind: unknown = spec.claimNames?.kind;
  const claimPlural: unknown = spec.claimNames?.plural;
  if (typeof claimKind === 'string' && typeof claimPlural === 'string') {
    api.claimKind = claimKind;
    api.claimPlural = claimPlural;
  }
  if (conditions.length) {
    api.established = summarizeCondition(conditions, 'Established');
    if (api.claimKind) api.offered = summarizeCondition(conditions, 'Offered');
  }
  if (typeof spec.defaultCompositionRef?.name === 'string') {
    api.defaultCompositionRef = spec.defaultCompositionRef.name;
  }
  return api;
}

/**
 * The resource types a claim API serves at its referenceable version: the composite type, and the
 * claim type when the XRD offers one. Taken from the XRD's names and scope, never guessed.
 * @public
 */
export function claimApiResourceTypes(api: ClaimApi): {
  composite: ResourceType;
  claim?: ResourceType;
} {
  const version =
    api.referenceableVersion ?? api.versions[0]?.name ?? 'v1alpha1';
  const composite = resourceType({
    group: api.group,
    version,
    kind: api.kind,
    plural: api.plural,
    namespaced: api.scope === 'Namespaced',
  });
  if (!api.claimKind || !api.claimPlural) return { composite };
  return {
    composite,
    claim: resourceType({
      group: api.group,
      version,
      kind: api.claimKind,
      plural: api.claimPlural,
      namespaced: true,
    }),
  };
}
