import type { ResourceType } from '../types';

function type(
  apiVersion: string,
  kind: string,
  plural: string,
  namespaced: boolean,
): ResourceType {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  return { group, version, apiVersion, kind, plural, namespaced };
}

/**
 * Resource types whose plural and scope are fixed by Kubernetes, Crossplane, Upbound, Argo CD or
 * Flux. Use them where the type is certain; anything defined by an XRD or CRD is resolved through
 * discovery (`KubeClient.resolve`).
 * @public
 */
export const wellKnownTypes = {
  namespace: type('v1', 'Namespace', 'namespaces', false),
  configMap: type('v1', 'ConfigMap', 'configmaps', true),
  secret: type('v1', 'Secret', 'secrets', true),
  event: type('v1', 'Event', 'events', true),
  eventV1: type('events.k8s.io/v1', 'Event', 'events', true),
  service: type('v1', 'Service', 'services', true),
  serviceAccount: type('v1', 'ServiceAccount', 'serviceaccounts', true),
  apiService: type(
    'apiregistration.k8s.io/v1',
    'APIService',
    'apiservices',
    false,
  ),
  customResourceDefinition: type(
    'apiextensions.k8s.io/v1',
    'CustomResourceDefinition',
    'customresourcedefinitions',
    false,
  ),
  xrdV1: type(
    'apiextensions.crossplane.io/v1',
    'CompositeResourceDefinition',
    'compositeresourcedefinitions',
    false,
  ),
  xrdV2: type(
    'apiextensions.crossplane.io/v2',
    'CompositeResourceDefinition',
    'compositeresourcedefinitions',
    false,
  ),
  composition: type(
    'apiextensions.crossplane.io/v1',
    'Composition',
    'compositions',
    false,
  ),
  controlPlane: type(
    'spaces.upbound.io/v1beta1',
    'ControlPlane',
    'controlplanes',
    true,
  ),
  argoApplication: type(
    'argoproj.io/v1alpha1',
    'Application',
    'applications',
    true,
  ),
  fluxKustomization: type(
    'kustomize.toolkit.fluxcd.io/v1',
    'Kustomization',
    'kustomizations',
    true,
  ),
  fluxGitRepository: type(
    'source.toolkit.fluxcd.io/v1',
    'GitRepository',
    'gitrepositories',
    true,
  ),
  fluxOciRepository: type(
    'source.toolkit.fluxcd.io/v1',
    'OCIRepository',
    'ocirepositories',
    true,
  ),
  fluxHelmRepository: type(
    'source.toolkit.fluxcd.io/v1',
    'HelmRepository',
    'helmrepositories',
    true,
  ),
  fluxHelmRelease: type(
    'helm.toolkit.fluxcd.io/v2',
    'HelmRelease',
    'helmreleases',
    true,
  ),
} satisfies Record<string, ResourceType>;

/** Builds a ResourceType from its parts. @public */
export function resourceType(options: {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  categories?: string[];
}): ResourceType {
  const { categories, ...rest } = options;
  return {
    ...rest,
    ...(categories?.length ? { categories } : {}),
    apiVersion: options.group
      ? `${options.group}/${options.version}`
      : options.version,
  };
}

/** Splits `group/version` (or `v1`) into its parts. @public */
export function parseApiVersion(apiVersion: string): {
  group: string;
  version: string;
} {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : {
        group: apiVersion.slice(0, slash),
        version: apiVersion.slice(slash + 1),
      };
}
