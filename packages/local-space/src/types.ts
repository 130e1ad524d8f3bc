export type { LocalSpaceTokens } from './lib/pki.ts';
import type { LocalCrossplane } from './lib/crossplane.ts';
import type { LocalGitOps } from './lib/gitops.ts';
import type { LocalProcess } from './lib/processes.ts';

export type { LocalCrossplane, LocalGitOps, LocalProcess };

/**
 * The shape of `state.json`, written by `local-space start`.
 * @public
 */
export interface LocalSpaceState {
  version: 1;
  stateDir: string;
  basePort: number;
  binDir: string;
  startedAt: string;
  /** PEM CA that signed every serving certificate (API servers and ingress). */
  caFile: string;
  tokensFile: string;
  /** app-config fragment pointing the example app at this Space. */
  appConfigPath: string;
  spaceName: string;
  etcd: { url: string; port: number; pid: number | null };
  hub: { url: string; port: number; etcdPrefix: string; kubeconfigPath: string; pid: number | null };
  /** The Space ingress; `host` is what ConfigMap upbound-system/ingress-public holds. */
  ingress: { url: string; host: string; port: number; pid: number | null };
  appCluster: {
    name: string;
    clusterId: string;
    url: string;
    port: number;
    etcdPrefix: string;
    kubeconfigPath: string;
    pid: number | null;
  };
  controlPlanes: LocalControlPlane[];
  /** The real GitOps engines working against the app cluster (absent or `enabled: false` with --no-gitops). */
  gitops?: LocalGitOps;
  /** Crossplane, its function and provider-nop (absent or `enabled: false` with --no-crossplane or --claims). */
  crossplane?: LocalCrossplane;
  seed: { claimsPerControlPlane: number; objects: number; durationMs: number };
  timings: { apiserversReadyMs?: number; crossplaneReadyMs?: number; gitopsReadyMs?: number; startMs?: number };
}

/**
 * One process of the local Space, as `local-space status` lists it.
 * @public
 */
export interface LocalSpaceProcess {
  label: string;
  pid: number;
  port: number | null;
  /** True when the pid runs and is this Space's process. */
  running: boolean;
  /** Resident memory while it runs. */
  rssMiB?: number;
}

/**
 * One control plane of the local Space.
 * @public
 */
export interface LocalControlPlane {
  name: string;
  group: string;
  /** False for the control plane that is never ready, and after stopMcp. */
  running: boolean;
  ready: boolean;
  /** Direct API server URL; null for a control plane without API server. */
  url: string | null;
  port: number | null;
  etcdPrefix: string | null;
  /** `https://<ingress>/apis/spaces.upbound.io/v1beta1/namespaces/<group>/controlplanes/<name>/k8s` */
  ingressUrl: string;
  /** Admin kubeconfig for the API server itself. */
  kubeconfigPath: string | null;
  /** Kubeconfig through the ingress with this control plane's ingress token. */
  ingressKubeconfigPath: string;
  /** Its kube-controller-manager (garbage collector and namespace controller only); null without API server. */
  controllerManager?: LocalProcess | null;
  /** Namespace where the MCP Connector stores the app cluster's claims (first control plane only). */
  connectorClaimNamespace: string | null;
  pid: number | null;
}
