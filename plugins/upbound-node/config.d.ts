import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Upbound control planes, app clusters and GitOps instances. */
  upbound?: {
    /** Upbound Cloud organization (with `token`). */
    organization?: string;
    /**
     * Upbound personal access token or robot token, exchanged for an org-scoped token.
     * @visibility secret
     */
    token?: string;
    /** (Optional) Upbound endpoints. Default: https://api.upbound.io and https://auth.upbound.io. */
    endpoints?: {
      api?: string;
      auth?: string;
    };
    /** Upbound Cloud discovery. */
    cloud?: {
      /** (Optional) Default: true when organization and token are set. */
      enabled?: boolean;
      /** (Optional) Explicit Space names; otherwise listed from the Upbound API. */
      spaces?: string[];
    };
    /** Self-hosted or disconnected Spaces, reached through their hub kubeconfig. */
    spaces?: Array<{
      name: string;
      /** (Optional) Default: true. false stops all work for this Space. */
      enabled?: boolean;
      hub: {
        kubeconfigPath?: string;
        /**
         * Inline kubeconfig YAML.
         * @visibility secret
         */
        kubeconfig?: string;
        /** (Optional) Context of the kubeconfig. Default: its current-context. */
        context?: string;
      };
      /** (Optional) Overrides the ingress read from ConfigMap upbound-system/ingress-public. */
      ingress?: {
        /** host[:port] */
        host: string;
        caFile?: string;
        /** PEM CA. @visibility secret */
        caData?: string;
      };
      /**
       * (Optional) Bearer token for the Space ingress. Default: the hub kubeconfig user's token.
       * @visibility secret
       */
      token?: string;
      /** (Optional) Default owner entity ref of this Space's control planes. */
      owner?: string;
    }>;
    /** Control planes reached directly (any Crossplane cluster). */
    controlPlanes?: Array<{
      name: string;
      /** (Optional) Default: true. */
      enabled?: boolean;
      /** https URL of the API server (with `token`). */
      url?: string;
      /** @visibility secret */
      token?: string;
      caFile?: string;
      /** @visibility secret */
      caData?: string;
      kubeconfigPath?: string;
      /** @visibility secret */
      kubeconfig?: string;
      context?: string;
      /** (Optional) Skips TLS verification. Default: false. */
      dangerouslySkipTLSVerify?: boolean;
      owner?: string;
    }>;
    /** App clusters (connector installs, Argo CD, Flux). */
    appClusters?: Array<{
      name: string;
      title?: string;
      /** The MCP Connector cluster id used for this cluster. */
      clusterId?: string;
      url?: string;
      /** @visibility secret */
      token?: string;
      caFile?: string;
      /** @visibility secret */
      caData?: string;
      kubeconfigPath?: string;
      /** @visibility secret */
      kubeconfig?: string;
      context?: string;
      dangerouslySkipTLSVerify?: boolean;
    }>;
    /** (Optional) Also use kubernetes.clusterLocatorMethods[type=config] clusters as app clusters. Default: false. */
    useKubernetesPluginClusters?: boolean;
    /** Argo CD instances. */
    argocd?: Array<{
      name: string;
      /** App cluster (by name) where Argo CD runs. */
      appCluster: string;
      /** (Optional) Default: argocd. */
      namespace?: string;
      /** (Optional) Argo CD REST API base URL. */
      url?: string;
      /** @visibility secret */
      token?: string;
    }>;
    /** Flux instances. */
    flux?: Array<{
      name: string;
      appCluster: string;
      /** (Optional) Default: flux-system. */
      namespace?: string;
    }>;
    /** Owner resolution for control planes and claims. */
    owners?: {
      /** (Optional) Label/annotation key read on objects. Default: upbound.io/owner. */
      label?: string;
      /** Namespace (or group) to owner entity ref. */
      namespaces?: { [namespace: string]: string };
      default?: string;
    };
    concurrency?: {
      /** (Optional) Max in-flight calls per cluster. Default: 8. */
      perCluster?: number;
      /** (Optional) Spaces and control planes discovered in parallel. Default: 4. */
      discovery?: number;
    };
    timeouts?: {
      /** (Optional) Per-request timeout. Default: 10000. */
      requestMs?: number;
    };
    discovery?: {
      /** (Optional) Default: every 2 minutes. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
  };
}
