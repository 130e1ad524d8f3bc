import { createApiRef } from '@backstage/frontend-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import type {
  AppClusterSummary,
  ClaimApi,
  ClaimDelivery,
  ClaimList,
  ClaimListQuery,
  ConnectionsResponse,
  ControlPlaneList,
  ControlPlaneListItem,
  ControlPlaneSummary,
  GitOpsStatusResponse,
  KubeEvent,
  ObjectCoordinates,
  ResourceGraph,
} from '@upbound-backstage/plugin-upbound-common';

/**
 * A control plane with its claim APIs, as returned by `GET /controlplanes/:id`.
 * @public
 */
export type ControlPlaneDetails = ControlPlaneListItem & { claimApis: ClaimApi[] };

/**
 * Filters and paging for a control plane's claims.
 * @public
 * @deprecated Use `ClaimListQuery` from `@upbound-backstage/plugin-upbound-common`.
 */
export type ListClaimsOptions = ClaimListQuery;

/**
 * Identifies one object of a resource graph (or the entity's own object when omitted).
 * @public
 */
export interface GraphNodeRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/**
 * An object read from a control plane: JSON without managedFields, and the same as YAML.
 * @public
 */
export interface KubeObjectResponse {
  object: JsonObject;
  yaml: string;
}

/**
 * Where a claim or XR entity lives: its coordinates and its control plane.
 * @public
 */
export type EntityTarget = ObjectCoordinates & { controlPlane: ControlPlaneSummary };

/**
 * Client for the Upbound backend plugin (`/api/upbound`).
 * @public
 */
export interface UpboundApi {
  /** Every control plane with counts; unreachable ones are listed in `errors`. */
  listControlPlanes(): Promise<ControlPlaneList>;
  /** One control plane with its claim APIs. */
  getControlPlane(id: string): Promise<ControlPlaneDetails>;
  /** The claim APIs (XRDs) a control plane serves. */
  listClaimApis(id: string): Promise<{ items: ClaimApi[] }>;
  /** Claims and namespaced XRs of a control plane. */
  listClaims(id: string, options?: ClaimListQuery): Promise<ClaimList>;
  /** App clusters connected through the MCP Connector. */
  getConnections(id: string): Promise<ConnectionsResponse>;
  /** Argo CD Applications and Flux Kustomizations that sync into the control plane. */
  getGitOpsStatus(id: string): Promise<GitOpsStatusResponse>;
  /** Configured app clusters (no credentials). */
  listAppClusters(): Promise<{ items: AppClusterSummary[] }>;
  /** The control plane object behind a claim or XR entity. */
  getEntityTarget(entity: CompoundEntityRef): Promise<EntityTarget>;
  /** The resource graph of a claim or XR entity. */
  getEntityGraph(entity: CompoundEntityRef): Promise<ResourceGraph>;
  /**
   * Where a claim or XR entity comes from (the Argo CD Application or Flux Kustomization that
   * applied it, with its state) and its delivery steps from the Git revision to Ready resources.
   */
  getEntityDelivery(entity: CompoundEntityRef): Promise<ClaimDelivery>;
  /** Events of the entity's object, or of one node of its graph; newest first. */
  getEntityEvents(entity: CompoundEntityRef, node?: GraphNodeRef): Promise<{ items: KubeEvent[] }>;
  /** The entity's object, or one node of its graph, as JSON and YAML. */
  getEntityObject(entity: CompoundEntityRef, node?: GraphNodeRef): Promise<KubeObjectResponse>;
  /** Pauses or resumes reconciliation of the entity's object. */
  setEntityPaused(entity: CompoundEntityRef, paused: boolean): Promise<{ paused: boolean }>;
  /** Asks Crossplane to reconcile the entity's object now. */
  reconcileEntity(entity: CompoundEntityRef): Promise<{ requestedAt: string }>;
  /** Triggers a sync of an Argo CD Application through the instance's REST API. */
  syncArgoApplication(
    instance: string,
    namespace: string,
    name: string,
  ): Promise<{ phase?: string }>;
}

/**
 * Reference to the {@link UpboundApi}.
 * @public
 */
export const upboundApiRef = createApiRef<UpboundApi>().with({
  id: 'plugin.upbound.service',
  pluginId: 'upbound',
});
