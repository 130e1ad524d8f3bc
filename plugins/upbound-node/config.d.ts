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
      /**
       * (Optional) Destination server under which this Argo CD deploys into its own app cluster.
       * Default: https://kubernetes.default.svc (Argo CD running in that cluster). Set it to the
       * server of the cluster Secret that registers the app cluster when Argo CD runs outside it.
       */
      appClusterServer?: string;
    }>;
    /** Flux instances. */
    flux?: Array<{
      name: string;
      appCluster: string;
      /** (Optional) Default: flux-system. */
      namespace?: string;
    }>;
    /**
     * Named credentials the scaffolder actions may hand to Argo CD, Flux, the MCP Connector or a
     * kubeconfig output (`credential.gitopsCredential`), each limited to some Spaces, groups or
     * control planes. Use a long-lived, narrowly scoped token: an Upbound robot token whose team
     * has roles on those control planes only, or a Space token scoped the same way.
     */
    gitopsCredentials?: Array<{
      /** Name templates refer to (a DNS label). */
      name: string;
      /** (Optional) Shown in error messages and SECURITY reviews. */
      description?: string;
      /**
       * Upbound robot token or personal access token (Cloud), or a bearer token accepted by a
       * self-hosted Space ingress or direct control plane.
       * @visibility secret
       */
      token: string;
      /** (Optional) Upbound organization for Cloud control planes. Default: upbound.organization. */
      organization?: string;
      /**
       * Where the credential may be used: a control plane must match every list given. At least
       * one list is required.
       */
      scope: {
        spaces?: string[];
        groups?: string[];
        /** Control plane ids, e.g. space/local/team-a/prod. */
        controlPlanes?: string[];
      };
    }>;
    /** GitOps settings of the scaffolder actions. */
    gitops?: {
      /**
       * (Optional) Hosts (`host` or `host:port`) that Git URLs of Argo CD and Flux connections
       * must use. A Flux `gitRepository.secretRef` is accepted only with a URL on one of these
       * hosts. Default: any host (https:// and ssh:// only), and no secretRef.
       */
      allowedGitHosts?: string[];
    };
    /**
     * (Optional) DEVELOPMENT ONLY. When true, scaffolder actions that get no credential hand out
     * the backend's own control plane credential (the Space-wide token, or the org-scoped Upbound
     * token that expires within minutes). Never enable it where app teams run templates.
     * Default: false.
     */
    dangerouslyUseServiceCredential?: boolean;
    /**
     * The one owner rule of control planes, claims and every catalog entity, also followed by
     * `upbound:claim:create` when it writes a claim's owner.
     */
    owners?: {
      /**
       * (Optional) Label/annotation key read on objects, and the annotation `upbound:claim:create`
       * writes its `owner` input to. Default: upbound.io/owner.
       */
      label?: string;
      /** (Optional) Claim namespace (or control plane group) to owner entity ref. */
      namespaces?: { [namespace: string]: string };
      /**
       * (Optional) Owner entity ref when nothing else applies. Default: none for control planes;
       * group:default/unknown for catalog entities.
       */
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
