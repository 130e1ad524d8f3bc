export { upboundApiRef } from './UpboundApi';
export type {
  UpboundApi,
  ControlPlaneDetails,
  ListClaimsOptions,
  GraphNodeRef,
  KubeObjectResponse,
  EntityTarget,
} from './UpboundApi';
export { UpboundClient } from './UpboundClient';
