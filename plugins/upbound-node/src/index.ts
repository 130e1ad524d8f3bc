/**
 * Node library of the Upbound plugins: config, Space discovery, token exchange and the one
 * Kubernetes access layer.
 *
 * @packageDocumentation
 */
export * from './types';
export { upboundServiceRef } from './serviceRef';
export { upboundServiceFactory } from './service/upboundServiceFactory';
export {
  DefaultUpboundService,
  createUpboundService,
  type CreateUpboundServiceOptions,
} from './service/DefaultUpboundService';
export {
  readUpboundConfig,
  UPBOUND_CONFIG_DEFAULTS,
} from './config/readUpboundConfig';
export { UpboundConfigError } from './config/loadConnection';
export {
  resolveOwner,
  toOwnerRef,
  ownerAnnotations,
  type OwnedObject,
} from './owners/resolveOwner';
export { readOwnerConfig } from './owners/readOwnerConfig';
export {
  readCredentialHandoffConfig,
  credentialScopeMatches,
  describeCredentialScope,
  type CredentialHandoffConfig,
  type GitOpsCredentialConfig,
} from './config/readCredentialConfig';
export {
  upboundControlPlanePermissionResourceRef,
  upboundControlPlanePermissionRules,
  upboundControlPlaneConditions,
  createUpboundControlPlaneConditionalDecision,
  controlPlaneDecisionAllows,
  toControlPlaneResource,
  authorizeControlPlane,
  type UpboundControlPlaneResource,
  type UpboundControlPlaneQuery,
} from './permissions/controlPlaneRules';
export type * from './config/types';
export {
  DefaultKubeClient,
  type DefaultKubeClientOptions,
} from './kube/DefaultKubeClient';
export {
  KubeTransport,
  type KubeTransportOptions,
  type KubeRequest,
  type KubeFetch,
  type KubeTextResponse,
} from './kube/KubeTransport';
export { discoverResourceTypes } from './kube/discoverResourceTypes';
export { toClusterError } from './kube/toClusterError';
export { watchResource, type WatchResourceOptions } from './kube/watchResource';
export { resourcePath, withQuery, spacesControlPlanePath } from './kube/paths';
export {
  wellKnownTypes,
  resourceType,
  parseApiVersion,
} from './kube/wellKnownTypes';
export {
  xrdToClaimApi,
  claimApiResourceTypes,
} from './claimApis/xrdToClaimApi';
export {
  UpboundCloudAuth,
  type UpboundCloudAuthOptions,
} from './cloud/UpboundCloudAuth';
export { listCloudSpaces, type CloudSpace } from './cloud/listCloudSpaces';
export { GROUP_LABEL } from './inventory/discoverSpace';
export {
  UPBOUND_METER_NAME,
  recordKubeRequest,
  recordCatalogSync,
} from './metrics';
