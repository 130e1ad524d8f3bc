/**
 * Wire types shared by the backend REST API, the catalog module and the frontend.
 * Nothing here ever carries a token, a kubeconfig or Secret data.
 */

/** Where a control plane was discovered. @public */
export type ControlPlaneSource = 'cloud' | 'space' | 'direct';

/** A Kubernetes / crossplane-runtime condition as read from an object's status. @public */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** Low-churn summary of one condition: what the catalog stores and the UI colours by. @public */
export type ConditionState = 'True' | 'False' | 'Unknown';

/** @public */
export interface ConditionSummary {
  state: ConditionState;
  reason?: string;
  message?: string;
}

/** A control plane as the inventory knows it (no credentials). @public */
export interface ControlPlaneSummary {
  /** Stable id: `<source>/<space>/<group>/<name>` for Spaces, `direct/<name>` for direct control planes. */
  id: string;
  source: ControlPlaneSource;
  /** Space name (cloud and self-hosted Spaces). */
  space?: string;
  /** Group (namespace in the Space). */
  group?: string;
  name: string;
  /** Ready condition of the ControlPlane object (direct control planes: reachability). */
  ready: ConditionSummary;
  /** Healthy condition of the ControlPlane object, when the Space reports one. */
  healthy?: ConditionSummary;
  conditions: Condition[];
  crossplaneVersion?: string;
  /** status.message of the ControlPlane object. */
  message?: string;
  /** Upbound console link for cloud control planes. */
  consoleUrl?: string;
  /** Owner entity ref from config mapping or labels. */
  owner?: string;
  createdAt?: string;
}

/** Counts shown on the control planes page. @public */
export interface ControlPlaneCounts {
  claimApiCount: number;
  claimCount: number;
  failingClaimCount: number;
  appClusterCount: number;
}

/** A reachability problem, returned as data so one dead control plane never blanks a page. @public */
export interface ClusterError {
  /** Control plane id or app cluster name. */
  cluster: string;
  /** unreachable | unauthorized | forbidden | not-found | crd-missing | timeout | rate-limited | server-error | unknown */
  type: KubeErrorType;
  message: string;
  statusCode?: number;
}

/** @public */
export type KubeErrorType =
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'crd-missing'
  | 'timeout'
  | 'rate-limited'
  | 'server-error'
  | 'gone'
  | 'invalid'
  | 'conflict'
  | 'unknown';

/** @public */
export interface ControlPlaneListItem extends ControlPlaneSummary {
  counts?: ControlPlaneCounts;
  /** Set when the control plane could not be read; counts are then absent. */
  error?: ClusterError;
}

/** @public */
export interface ControlPlaneList {
  items: ControlPlaneListItem[];
  errors: ClusterError[];
}

/** One version of a claim API (XRD). @public */
export interface ClaimApiVersion {
  name: string;
  served: boolean;
  referenceable: boolean;
  deprecated?: boolean;
  /** The openAPIV3Schema of the version. */
  schema?: Record<string, unknown>;
}

/** A claim API, read from a CompositeResourceDefinition (v1 or v2). @public */
export interface ClaimApi {
  /** XRD name (`<plural>.<group>`). */
  name: string;
  /** apiextensions.crossplane.io version the XRD was read as. */
  xrdApiVersion:
    | 'apiextensions.crossplane.io/v1'
    | 'apiextensions.crossplane.io/v2'
    | string;
  group: string;
  /** Composite kind and plural. */
  kind: string;
  plural: string;
  /** Claim kind and plural (legacy XRDs that offer a claim). */
  claimKind?: string;
  claimPlural?: string;
  /** Namespaced | Cluster | LegacyCluster */
  scope: string;
  versions: ClaimApiVersion[];
  /** The referenceable version's name. */
  referenceableVersion?: string;
  established?: ConditionSummary;
  offered?: ConditionSummary;
  defaultCompositionRef?: string;
}

/** Coordinates of a claim or XR in a control plane. @public */
export interface ObjectCoordinates {
  controlPlaneId: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** How a claim came in through the MCP Connector. @public */
export interface ConnectorOrigin {
  appCluster: string;
  appNamespace?: string;
  appName?: string;
}

/** A claim (legacy) or a namespaced v2 XR. @public */
export interface ClaimSummary extends ObjectCoordinates {
  /** claim: a legacy claim; composite: a v2 namespaced XR. */
  type: 'claim' | 'composite';
  uid?: string;
  ready: ConditionSummary;
  synced: ConditionSummary;
  compositionName?: string;
  connectionSecretName?: string;
  /** The XR behind a claim. */
  resourceRef?: { apiVersion: string; kind: string; name: string };
  createdAt?: string;
  paused?: boolean;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  connector?: ConnectorOrigin;
  /** The Argo CD Application or Flux Kustomization that applied this claim. */
  gitops?: GitOpsOrigin;
}

/**
 * Filters and paging of a control plane's claims list (`GET /controlplanes/:id/claims` query).
 * @public
 */
export interface ClaimListQuery {
  /** `<group>/<kind>`; the kind may be the claim kind or the composite kind. */
  api?: string;
  namespace?: string;
  ready?: ConditionState;
  synced?: ConditionState;
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** @public */
export interface ClaimList {
  items: ClaimSummary[];
  /** Opaque cursor for the next page; absent on the last page. */
  nextCursor?: string;
  totalCount: number;
  errors: ClusterError[];
}

/** Role of a node in a resource graph. @public */
export type GraphNodeRole = 'claim' | 'composite' | 'managed' | 'resource';

/** One node of a resource graph. @public */
export interface GraphNode {
  /** `<apiVersion>/<kind>/<namespace>/<name>`. */
  id: string;
  role: GraphNodeRole;
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  uid?: string;
  ready?: ConditionSummary;
  synced?: ConditionSummary;
  paused?: boolean;
  createdAt?: string;
  /** When the Ready condition last changed. */
  readySince?: string;
  /** The node is referenced but could not be read (deleted, not created yet, or forbidden). */
  missing?: boolean;
  error?: string;
  /** crossplane.io/composition-resource-name annotation. */
  compositionResourceName?: string;
  externalName?: string;
}

/** @public */
export interface GraphEdge {
  from: string;
  to: string;
}

/** A claim's or XR's full resource graph, built by the backend in one pass. @public */
export interface ResourceGraph {
  rootId: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Node ids from the root down to the first failing node (empty when everything is healthy). */
  failingPath: string[];
  /** API calls made to build this graph (not counting cache hits). */
  apiCalls?: number;
  generatedAt: string;
}

/** A Kubernetes event (core/v1 or events.k8s.io/v1, normalised). @public */
export interface KubeEvent {
  type: 'Normal' | 'Warning' | string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  source?: string;
}

/** An app cluster connected to a control plane through the MCP Connector. @public */
export interface ConnectorConnection {
  /** Cluster id from the mcp-connector.upbound.io/app-cluster label. */
  clusterId: string;
  /** Name of the configured app cluster this id belongs to, when known. */
  appCluster?: string;
  /** Namespace in the MCP where this app cluster's claims are stored. */
  claimNamespaces: string[];
  claimCount: number;
  apiServices: Array<{
    name: string;
    group: string;
    version: string;
    available: ConditionSummary;
    /** Claims of this app cluster in the control plane whose claim API is in this APIService's group. */
    claimCount: number;
  }>;
  /**
   * Connector installs in the app cluster whose values target this control plane, also before any
   * claim exists: Helm releases (`up`, `helm`, Flux's helm-controller) and Flux HelmReleases.
   */
  installs?: ConnectorInstall[];
  /**
   * Claim API versions (`<version>.<group>`, the APIService name) of this control plane that the
   * app cluster has no APIService for: its apps cannot use them through the connector.
   */
  missingApiServices?: string[];
}

/** A connector install found in an app cluster (never its values: they hold the token). @public */
export interface ConnectorInstall {
  /** `helm`: a Helm release Secret (installed by `up`, `helm` or an engine); `flux`: a HelmRelease. */
  via: 'helm' | 'flux';
  /** Namespace of the release Secret or HelmRelease. */
  namespace: string;
  releaseName: string;
  chartVersion?: string;
  /** Claim namespace in the control plane, from the values. */
  claimNamespace?: string;
  /** Helm's release status (`deployed`, `failed`, ...). */
  status?: string;
  /** Created by upbound:connector:install (labelled app.kubernetes.io/managed-by=backstage-upbound). */
  managedByBackstage: boolean;
}

/** @public */
export interface ConnectionsResponse {
  connections: ConnectorConnection[];
  errors: ClusterError[];
}

/** An Argo CD Application whose destination is a control plane. @public */
export interface ArgoApplicationStatus {
  instance: string;
  namespace: string;
  name: string;
  project?: string;
  repoURL?: string;
  path?: string;
  targetRevision?: string;
  syncStatus?: string;
  syncRevision?: string;
  healthStatus?: string;
  healthMessage?: string;
  operationPhase?: string;
  operationMessage?: string;
  /** true when the instance has a REST URL configured, so a sync can be triggered. */
  canSync: boolean;
  /** When the last sync operation finished. */
  operationFinishedAt?: string;
  /** Argo CD's own conditions (ComparisonError, SyncError, ...): why an app looks empty or stuck. */
  conditions?: Array<{ type: string; message?: string }>;
  /** Objects the Application manages; 0 with Synced usually means a wrong path or a missing `recurse`. */
  resourceCount?: number;
  /** Set when the engine reports that the control plane refused its credential. */
  credentialProblem?: string;
}

/** A Flux Kustomization applying into a control plane. @public */
export interface FluxKustomizationStatus {
  instance: string;
  namespace: string;
  name: string;
  sourceRef?: { kind: string; name: string; namespace?: string };
  path?: string;
  ready: ConditionSummary;
  lastAppliedRevision?: string;
  lastAttemptedRevision?: string;
  suspended?: boolean;
  /** When Ready last changed. */
  readySince?: string;
  /** The source it applies from, with its own Ready state (a failing clone shows here, not on the Kustomization). */
  source?: { url?: string; ready: ConditionSummary; revision?: string };
  /** Objects in the Kustomization's inventory. */
  resourceCount?: number;
  /** Set when the engine reports that the control plane refused its credential. */
  credentialProblem?: string;
}

/** The GitOps object that applied a claim, from the marks the engine left on it. @public */
export interface GitOpsOrigin {
  engine: 'argocd' | 'flux';
  /** Application or Kustomization name. */
  name: string;
  /** Its namespace, when the mark names one. */
  namespace?: string;
}

/** One step of a claim's delivery, from Git to Ready managed resources. @public */
export interface DeliveryStep {
  stage: 'revision' | 'applied' | 'claim' | 'composite' | 'resources';
  title: string;
  state: 'done' | 'pending' | 'failed';
  /** When the step happened (or last changed). */
  at?: string;
  message?: string;
}

/** Where a claim comes from and how far its delivery got. @public */
export interface ClaimDelivery {
  origin?: GitOpsOrigin;
  /** The Argo CD Application that applied the claim, when it deploys into this control plane. */
  application?: ArgoApplicationStatus;
  /** The Flux Kustomization that applied the claim, when it applies into this control plane. */
  kustomization?: FluxKustomizationStatus;
  steps: DeliveryStep[];
  errors: ClusterError[];
}

/** @public */
export interface GitOpsStatusResponse {
  argocd: ArgoApplicationStatus[];
  flux: FluxKustomizationStatus[];
  errors: ClusterError[];
}

/** A configured app cluster (no credentials). @public */
export interface AppClusterSummary {
  name: string;
  title?: string;
  /** The connector cluster id, when configured. */
  clusterId?: string;
  source: 'upbound' | 'kubernetes-plugin';
}
