import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';

/**
 * How to reach one cluster, resolved from config (URL + token + CA, or a kubeconfig). Holds
 * secrets: never log it or return it from a route.
 * @public
 */
export interface ClusterConnection {
  /** API server URL, without a trailing slash. */
  server: string;
  /** PEM CA bundle. */
  caData?: string;
  /** Static bearer token. */
  token?: string;
  /** PEM client certificate and key (kubeconfigs with client certificates). */
  certData?: string;
  keyData?: string;
  dangerouslySkipTLSVerify?: boolean;
  /** TLS server name, when it differs from the URL host. */
  tlsServerName?: string;
}

/** Upbound Cloud. @public */
export interface UpboundCloudConfig {
  enabled: boolean;
  organization: string;
  /** PAT or robot token. */
  token: string;
  /** Explicit Space names; when absent the Spaces are listed from the Upbound API. */
  spaces?: string[];
}

/** A self-hosted or disconnected Space reached through its hub kubeconfig. @public */
export interface SpaceConfig {
  name: string;
  enabled: boolean;
  hub: ClusterConnection;
  ingress?: { host: string; caData?: string };
  /** Bearer for the ingress; default: the hub connection's token. */
  token?: string;
  owner?: string;
}

/** A control plane reached directly (any Crossplane cluster). @public */
export interface DirectControlPlaneConfig {
  name: string;
  enabled: boolean;
  connection: ClusterConnection;
  owner?: string;
}

/** @public */
export interface AppClusterConfig {
  name: string;
  title?: string;
  clusterId?: string;
  source: 'upbound' | 'kubernetes-plugin';
  connection: ClusterConnection;
}

/** @public */
export interface ArgoCdConfig {
  name: string;
  appCluster: string;
  namespace: string;
  url?: string;
  token?: string;
  /** Destination server under which this Argo CD deploys into its own app cluster. */
  appClusterServer?: string;
}

/** @public */
export interface FluxConfig {
  name: string;
  appCluster: string;
  namespace: string;
}

/**
 * The owner rule of control planes and claims (`upbound.owners`); owners are entity refs.
 * @public
 */
export interface OwnerConfig {
  /** Label or annotation key that names an object's owner. */
  label: string;
  /** Owner by claim namespace, or by control plane group. */
  namespaces: Record<string, string>;
  /** Owner when nothing else applies. */
  default?: string;
}

/** The parsed and validated `upbound` config. @public */
export interface UpboundConfig {
  cloud?: UpboundCloudConfig;
  endpoints: { api: string; auth: string };
  spaces: SpaceConfig[];
  controlPlanes: DirectControlPlaneConfig[];
  appClusters: AppClusterConfig[];
  argocd: ArgoCdConfig[];
  flux: FluxConfig[];
  owners: OwnerConfig;
  concurrency: { perCluster: number; discovery: number };
  timeouts: { requestMs: number };
  discovery: { schedule: SchedulerServiceTaskScheduleDefinition };
  /** Non-fatal notes from reading the config (for example skipped Kubernetes plugin clusters). */
  warnings: string[];
}
