import type { ClaimApi } from '@upbound-backstage/plugin-upbound-common';
import type { KubeObject, ResourceType } from '../types';
import {
  parseApiVersion,
  resourceType,
  wellKnownTypes,
} from '../kube/wellKnownTypes';

/**
 * A resource type from its apiVersion, kind and plural, for seeding fakes with the types a cluster
 * serves (namespaced unless told otherwise).
 *
 * @example
 * ```ts
 * resourceTypeOf('ec2.aws.upbound.io/v1beta1', 'VPC', 'vpcs', false)
 * ```
 * @public
 */
export function resourceTypeOf(
  apiVersion: string,
  kind: string,
  plural: string,
  namespaced = true,
): ResourceType {
  return resourceType({
    ...parseApiVersion(apiVersion),
    kind,
    plural,
    namespaced,
  });
}

/**
 * The Argo CD and Flux types an app cluster serves once both are installed; pass them to
 * {@link InMemoryKubeClient.removeTypes} for a cluster without them.
 * @public
 */
export const gitOpsTypes: ResourceType[] = [
  wellKnownTypes.argoApplication,
  wellKnownTypes.fluxKustomization,
  wellKnownTypes.fluxGitRepository,
  wellKnownTypes.fluxOciRepository,
  wellKnownTypes.fluxHelmRepository,
  wellKnownTypes.fluxHelmRelease,
];

/**
 * The CompositeResourceDefinition a claim API is read from: `xrdToClaimApi(xrdOf(api))` gives
 * `api` back. Seed it into a fake control plane so the fake service serves the claim API and the
 * fake client serves its composite and claim types, as a real control plane does.
 * @public
 */
export function xrdOf(api: ClaimApi): KubeObject {
  const conditions = [
    ...(api.established ? [{ type: 'Established', ...api.established }] : []),
    ...(api.offered ? [{ type: 'Offered', ...api.offered }] : []),
  ].map(({ state, ...rest }) => ({ ...rest, status: state }));
  return {
    apiVersion: api.xrdApiVersion,
    kind: 'CompositeResourceDefinition',
    metadata: { name: api.name },
    spec: {
      group: api.group,
      names: { kind: api.kind, plural: api.plural },
      ...(api.claimKind && api.claimPlural
        ? { claimNames: { kind: api.claimKind, plural: api.claimPlural } }
        : {}),
      scope: api.scope,
      versions: api.versions.map(({ schema, ...version }) => ({
        ...version,
        ...(schema ? { schema: { openAPIV3Schema: schema } } : {}),
      })),
      ...(api.defaultCompositionRef
        ? { defaultCompositionRef: { name: api.defaultCompositionRef } }
        : {}),
    },
    ...(conditions.length ? { status: { conditions } } : {}),
  };
}
