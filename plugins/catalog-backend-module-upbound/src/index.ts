/**
 * Catalog module for Upbound: control planes, claim APIs (XRDs), claims and namespaced XRs, app
 * clusters and optional claim templates as entities.
 *
 * @packageDocumentation
 */
export { catalogModuleUpbound as default } from './module';
export {
  UpboundEntityProvider,
  type UpboundEntityProviderOptions,
} from './providers/UpboundEntityProvider';
export {
  readUpboundProviderConfig,
  DEFAULT_UPBOUND_PROVIDER_SCHEDULE,
  DEFAULT_OWNER,
  DEFAULT_OWNER_LABEL,
  type UpboundProviderConfig,
} from './providers/config';
export {
  controlPlaneToEntity,
  type ControlPlaneReadState,
} from './lib/controlPlaneEntity';
export { UpboundStatusProcessor } from './processors/UpboundStatusProcessor';
export { claimToEntity, type ClaimObjectType } from './lib/claimEntity';
export { claimApiToEntity } from './lib/claimApiEntity';
export { claimApiToOpenApi } from './lib/claimApiOpenApi';
export {
  claimApiToTemplate,
  claimTemplateEntityName,
} from './lib/templateEntity';
export { appClusterToEntity } from './lib/appClusterEntity';
export { entityOwner, type OwnerRules } from './lib/owner';
export type { MappingContext } from './lib/mappingContext';
export {
  markStale,
  toProvidedEntity,
  truncateReason,
  REASON_MAX,
  type StaleMark,
} from './lib/stale';
export {
  controlPlaneEntityRef,
  claimApiEntityRef,
  appClusterEntityRef,
  providerOrigin,
} from './lib/entityRefs';
