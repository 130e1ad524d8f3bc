// Where everything of one local Space lives: ports, file paths and the control plane list.
import path from 'node:path';

/** Package root (packages/local-space). */
export const PACKAGE_DIR = path.resolve(import.meta.dirname, '../..');
/** Repository root. */
export const REPO_ROOT = path.resolve(PACKAGE_DIR, '../..');
export const FIXTURES_DIR = path.join(PACKAGE_DIR, 'fixtures');
export const DEFAULT_STATE_DIR = path.join(REPO_ROOT, '.local-space');
export const DEFAULT_BASE_PORT = 16440;
export const DEFAULT_MCPS = 2;
export const DEFAULT_CLAIMS = 0;
export const MAX_MCPS = 40;
export const APP_CLUSTER_NAME = 'app-1';
export const APP_CLUSTER_ID = '00000000-0000-0000-0000-000000000001';
/** Namespace in the first control plane where the connector stores the app cluster's claims. */
export const CONNECTOR_CLAIM_NAMESPACE = 'app-1';
export const SPACE_NAME = 'local';
export const STATE_FILE = 'state.json';
export const TOKENS_FILE = 'tokens.json';

/** Fixed port offsets from the base port; control planes take base+10 and up, the GitOps engines base+60 and up. */
export function portsFor(basePort: number) {
  return {
    etcd: basePort,
    etcdPeer: basePort + 1,
    hub: basePort + 2,
    ingress: basePort + 3,
    app: basePort + 4,
    controlPlane: (index: number) => basePort + 10 + index,
    // kube-controller-manager of control plane i (garbage collection, namespace deletion).
    controllerManager: (index: number) => basePort + 160 + index,
    git: basePort + 60,
    fluxStorage: basePort + 61,
    fluxSourceMetrics: basePort + 62,
    fluxSourceHealth: basePort + 63,
    fluxKustomizeMetrics: basePort + 64,
    fluxKustomizeHealth: basePort + 65,
    redis: basePort + 66,
    argoRepoServer: basePort + 67,
    argoServer: basePort + 68,
    argoControllerMetrics: basePort + 69,
    argoRepoServerMetrics: basePort + 70,
    argoServerMetrics: basePort + 71,
  };
}

/** The ports of a Space with this base port. */
export type SpacePorts = ReturnType<typeof portsFor>;

/** The GitOps engines' ports, for the free-port check. */
export function gitOpsPorts(ports: SpacePorts): number[] {
  return (['git', 'fluxStorage', 'fluxSourceMetrics', 'fluxSourceHealth', 'fluxKustomizeMetrics', 'fluxKustomizeHealth',
    'redis', 'argoRepoServer', 'argoServer', 'argoControllerMetrics', 'argoRepoServerMetrics', 'argoServerMetrics'] as const).map(k => ports[k]);
}

/** A control plane slot of a Space: `index` numbers the running ones (their ports), -1 for the one without API server. */
export interface ControlPlaneSlot {
  name: string;
  group: string;
  index: number;
  running: boolean;
}

/**
 * The control planes of a Space with `count` running ones, plus one that is not ready and has no
 * API server, so error paths are exercised.
 */
export function controlPlaneList(count: number): ControlPlaneSlot[] {
  const list: ControlPlaneSlot[] = [];
  for (let i = 0; i < count; i++) {
    let name;
    let group;
    if (i === 0) {
      name = 'dev';
      group = 'platform';
    } else if (i === 1) {
      name = 'prod';
      group = 'team-a';
    } else {
      name = `mcp-${String(i + 1).padStart(2, '0')}`;
      group = i % 2 === 0 ? 'platform' : 'team-a';
    }
    list.push({ name, group, index: i, running: true });
  }
  list.push({ name: 'staging', group: 'team-a', index: -1, running: false });
  return list;
}

export function ingressPathFor(group: string, name: string): string {
  return `/apis/spaces.upbound.io/v1beta1/namespaces/${group}/controlplanes/${name}/k8s`;
}

export function filesFor(stateDir: string) {
  return {
    stateFile: path.join(stateDir, STATE_FILE),
    tokensFile: path.join(stateDir, TOKENS_FILE),
    pkiDir: path.join(stateDir, 'pki'),
    caFile: path.join(stateDir, 'pki', 'ca.crt'),
    caKey: path.join(stateDir, 'pki', 'ca.key'),
    servingCert: path.join(stateDir, 'pki', 'serving.crt'),
    servingKey: path.join(stateDir, 'pki', 'serving.key'),
    saKey: path.join(stateDir, 'pki', 'sa.key'),
    etcdDataDir: path.join(stateDir, 'etcd'),
    logsDir: path.join(stateDir, 'logs'),
    kubeconfigsDir: path.join(stateDir, 'kubeconfigs'),
    authDir: path.join(stateDir, 'auth'),
    appConfig: path.join(stateDir, 'app-config.local-space.yaml'),
  };
}

/** Where the files of a Space live. */
export type SpaceFiles = ReturnType<typeof filesFor>;
