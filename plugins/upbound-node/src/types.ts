/**
 * The contract of the Upbound node library. The backend plugin and both modules depend only on
 * these interfaces (through `upboundServiceRef`), so they share one inventory, one token cache and
 * one set of clients. Credentials stay inside the implementations.
 */
import type {
  AppClusterSummary,
  ClaimApi,
  ClusterError,
  ControlPlaneSummary,
  KubeErrorType,
} from '@upbound-backstage/plugin-upbound-common';

/** Any Kubernetes object as JSON. @public */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    generateName?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{
      apiVersion: string;
      kind: string;
      name: string;
      uid: string;
      controller?: boolean;
    }>;
    managedFields?: unknown[];
    [key: string]: unknown;
  };
  spec?: any;
  status?: any;
  [key: string]: unknown;
}

/** A resolved API resource: group/version/plural and scope, from discovery (never guessed). @public */
export interface ResourceType {
  group: string;
  version: string;
  /** `group/version`, or `version` for the core group. */
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  /** Discovery categories (Crossplane marks claim, composite and managed types with `claim`, `composite`, `managed`). */
  categories?: string[];
}

/** @public */
export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size for each LIST call (`limit`); pages are followed with `continue`. Default 500. */
  pageSize?: number;
  /** Per-call timeout in ms; defaults to the cluster's configured timeout. */
  timeoutMs?: number;
}

/** @public */
export interface ListResult<T = KubeObject> {
  items: T[];
  resourceVersion: string;
}

/** @public */
export interface ListPageResult<T = KubeObject> extends ListResult<T> {
  continue?: string;
}

/** @public */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

/** @public */
export interface WatchHandlers<T = KubeObject> {
  /** Called for each event. After a relist (410 Gone or reconnect) `onSync` is called first. */
  onEvent(type: WatchEventType, obj: T): void;
  /** Called with the full set of objects after every (re)list, so callers can diff. */
  onSync?(items: T[]): void;
  /** A non-fatal error; the watch keeps retrying with backoff until stopped. */
  onError?(error: KubeError): void;
}

/** @public */
export interface WatchHandle {
  stop(): void;
  /** Resolves once the initial list has completed and the watch is open. */
  ready: Promise<void>;
}

/** @public */
export interface ApplyOptions {
  fieldManager: string;
  force?: boolean;
  dryRun?: boolean;
}

/**
 * A client for one cluster (control plane, app cluster or Space hub) from the access layer.
 * Every call goes through retries (429 with Retry-After, 5xx), the per-cluster concurrency limit,
 * request timeouts, typed errors and call counters.
 * @public
 */
export interface KubeClient {
  /** Control plane id, `app-cluster/<name>` or `hub/<space>`. */
  readonly clusterId: string;

  /** Resolves apiVersion + kind to a resource type from the server's discovery documents. */
  resolve(apiVersion: string, kind: string): Promise<ResourceType>;
  /** All resource types the server serves (cached; `refresh` forces a new discovery). */
  resourceTypes(options?: { refresh?: boolean }): Promise<ResourceType[]>;

  /** LIST through every page. */
  list<T = KubeObject>(
    type: ResourceType,
    options?: ListOptions,
  ): Promise<ListResult<T>>;
  /** One LIST page. */
  listPage<T = KubeObject>(
    type: ResourceType,
    options?: ListOptions & { limit?: number; continue?: string },
  ): Promise<ListPageResult<T>>;
  get<T = KubeObject>(
    type: ResourceType,
    name: string,
    namespace?: string,
  ): Promise<T>;
  /** GET that returns undefined on 404. */
  tryGet<T = KubeObject>(
    type: ResourceType,
    name: string,
    namespace?: string,
  ): Promise<T | undefined>;
  /** Server-side apply. */
  apply<T = KubeObject>(obj: KubeObject, options: ApplyOptions): Promise<T>;
  /** JSON merge patch. */
  mergePatch<T = KubeObject>(
    type: ResourceType,
    name: string,
    namespace: string | undefined,
    patch: object,
    options?: { dryRun?: boolean; fieldManager?: string },
  ): Promise<T>;
  delete(
    type: ResourceType,
    name: string,
    namespace?: string,
    options?: { dryRun?: boolean },
  ): Promise<void>;
  /** List then watch from the list's resourceVersion; relists on 410 Gone and on disconnect. */
  watch<T = KubeObject>(
    type: ResourceType,
    options: { namespace?: string; labelSelector?: string },
    handlers: WatchHandlers<T>,
  ): WatchHandle;
  /** Calls made through this client so far (for tests and benchmarks). */
  stats(): ClusterCallStats;
}

/** @public */
export interface ClusterCallStats {
  total: number;
  byVerb: Record<string, number>;
  byStatus: Record<string, number>;
  retries: number;
}

/**
 * Typed error for every failure of a cluster call. Messages name the cluster and path, never a
 * token or kubeconfig content.
 * @public
 */
export class KubeError extends Error {
  readonly type: KubeErrorType;
  readonly cluster: string;
  readonly statusCode?: number;
  readonly path?: string;
  readonly retryAfterMs?: number;
  constructor(options: {
    type: KubeErrorType;
    cluster: string;
    message: string;
    statusCode?: number;
    path?: string;
    retryAfterMs?: number;
    cause?: unknown;
  }) {
    super(options.message, { cause: options.cause });
    this.name = 'KubeError';
    this.type = options.type;
    this.cluster = options.cluster;
    this.statusCode = options.statusCode;
    this.path = options.path;
    this.retryAfterMs = options.retryAfterMs;
  }
  toClusterError(): ClusterError {
    return {
      cluster: this.cluster,
      type: this.type,
      message: this.message,
      ...(this.statusCode ? { statusCode: this.statusCode } : {}),
    };
  }
}

/** A control plane in the inventory, with its access-layer client. @public */
export interface ControlPlane extends ControlPlaneSummary {
  client: KubeClient;
  /** Server URL (for matching Argo CD cluster secrets and Flux kubeconfigs; no credentials). */
  server: string;
  /** PEM CA of the Space ingress or direct control plane, if any. */
  caData?: string;
}

/** A configured app cluster with its client. @public */
export interface AppCluster extends AppClusterSummary {
  client: KubeClient;
  server: string;
}

/** An Argo CD instance from config. @public */
export interface ArgoCdInstance {
  name: string;
  /** App cluster where Argo CD runs. */
  appCluster: string;
  namespace: string;
  /** Optional REST API base URL (syncs are triggered through it). */
  url?: string;
  /**
   * Destination server under which this Argo CD deploys into the app cluster it runs in, when
   * configured; otherwise Argo CD's in-cluster address `https://kubernetes.default.svc`.
   */
  appClusterServer?: string;
  /** Makes an authenticated call to the Argo CD REST API; throws when no URL is configured. */
  request?(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<unknown>;
}

/** A Flux instance from config. @public */
export interface FluxInstance {
  name: string;
  appCluster: string;
  namespace: string;
}

/** @public */
export interface InventorySnapshot {
  controlPlanes: ControlPlane[];
  /** Discovery errors, one per Space/hub/direct control plane that could not be read. */
  errors: ClusterError[];
  refreshedAt: string;
}

/**
 * What a control plane's credentials look like when they must leave the access layer on purpose:
 * the scaffolder's kubeconfig output and the Argo CD / Flux secrets it writes. Never returned by a
 * route or logged.
 * @public
 */
export interface ControlPlaneCredentials {
  server: string;
  caData?: string;
  bearerToken: string;
  /** When the token expires, if known (org-scoped Upbound tokens do). */
  expiresAt?: Date;
}

/** The service the backend plugin and both modules share. @public */
export interface UpboundService {
  /** Current inventory (discovering on first use). */
  inventory(options?: { refresh?: boolean }): Promise<InventorySnapshot>;
  /** One control plane by id; throws NotFoundError naming the id. */
  controlPlane(id: string): Promise<ControlPlane>;
  appClusters(): AppCluster[];
  appCluster(name: string): AppCluster;
  argoCdInstances(): ArgoCdInstance[];
  fluxInstances(): FluxInstance[];
  /** Claim APIs from the control plane's XRDs (v1 and v2), cached briefly. */
  claimApis(
    controlPlaneId: string,
    options?: { refresh?: boolean },
  ): Promise<ClaimApi[]>;
  /** Credentials for deliberate hand-off (scaffolder). */
  controlPlaneCredentials(id: string): Promise<ControlPlaneCredentials>;
  /** Subscribe to inventory changes (after each scheduled discovery). */
  onInventoryChange(
    listener: (snapshot: InventorySnapshot) => void,
  ): () => void;
  /** Per-cluster call counters. */
  stats(): Record<string, ClusterCallStats>;
}
