/**
 * Frontend plugin for Upbound managed control planes: control plane pages, claim cards with the
 * resource graph, and scaffolder pickers. The new frontend system plugin is the `/alpha` export.
 *
 * @packageDocumentation
 */
export {
  upboundPlugin,
  UpboundPage,
  EntityUpboundControlPlaneContent,
  EntityUpboundClaimCard,
  EntityUpboundClaimDeliveryCard,
  EntityUpboundResourcesContent,
  UpboundControlPlanePickerFieldExtension,
  UpboundClaimApiPickerFieldExtension,
  UpboundAppClusterPickerFieldExtension,
} from './plugin';
export { rootRouteRef } from './routes';
export { isUpboundControlPlaneEntity, isUpboundClaimEntity } from './entityPredicates';
export * from './api';
export { ConditionStatus } from './components/ConditionStatus';
export type { ConditionStatusProps } from './components/ConditionStatus';
export type { ClaimApiPickerValue, ClaimApiPickerUiOptions } from './components/fields';
