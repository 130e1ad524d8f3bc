/**
 * The bench's local Space: started with @internal/local-space in its own state dir and ports, seeded
 * once with N control planes x M claims (the etcd data is kept, so later runs with the same sizes skip
 * the slow seeding), plus the bench's own objects: the graph claim and the namespace of the freshness
 * changes. It runs without Crossplane (the generated claims carry their status) and without the GitOps
 * engines, and the bench stops the control planes' kube-controller-managers, which only the GitOps
 * tests need: they list every object at start and would share the two cores with the measurement.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  readLocalSpaceState,
  startLocalSpace,
  stopLocalSpace,
  type KubeObject,
  type LocalSpace,
  type LocalSpaceState,
} from '@internal/local-space';
import { KubeHttp } from './kube';

const MARKER = 'bench-seed.json';

/** The control plane that holds the graph claim and takes the freshness changes. */
export const TARGET_CONTROL_PLANE = 'platform/dev';
export const GRAPH_NAMESPACE = 'bench-graph';
export const GRAPH_CLAIM = 'graph-db';
export const FRESHNESS_NAMESPACE = 'bench-fresh';

export interface SpaceSize {
  mcps: number;
  claims: number;
}

export interface BenchSpace {
  space: LocalSpace;
  state: LocalSpaceState;
  stateDir: string;
  /** Seconds spent starting and seeding in this run (seeding only when the kept data lacked the sizes). */
  startSeconds: number;
  seeded: boolean;
  /** Kubernetes objects the seed wrote (hub, app cluster and control planes). */
  objects?: number;
  /** RSS of the Space's processes after start, MiB. */
  rssMiB: { apiservers: number; etcd: number; total: number };
}

export const spaceDir = (root: string, size: SpaceSize) =>
  path.join(root, `space-${size.mcps}x${size.claims}`);

function readJson<T>(file: string): T | undefined {
  return fs.existsSync(file)
    ? JSON.parse(fs.readFileSync(file, 'utf8'))
    : undefined;
}

function rssOf(pid: number | null | undefined): number {
  if (!pid) return 0;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(
      fs.readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function isOurs(pid: number, stateDir: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(stateDir);
  } catch {
    return false;
  }
}

/** Memory of the Space's API servers and etcd, MiB. */
export function spaceRss(state: LocalSpaceState) {
  const apiservers = [
    state.hub.pid,
    state.appCluster.pid,
    ...state.controlPlanes.map(cp => cp.pid),
  ].reduce<number>((n, pid) => n + rssOf(pid), 0);
  const etcd = rssOf(state.etcd.pid);
  const ingress = rssOf(state.ingress.pid);
  return {
    apiservers: Math.round(apiservers),
    etcd: Math.round(etcd),
    total: Math.round(apiservers + etcd + ingress),
  };
}

/** Starts (or reuses) the Space with the requested sizes in `<root>/space-<mcps>x<claims>`. */
export async function startBenchSpace(
  root: string,
  size: SpaceSize,
  basePort: number,
  log: (l: string) => void,
): Promise<BenchSpace> {
  const stateDir = spaceDir(root, size);
  const marker = readJson<SpaceSize & { basePort: number; objects?: number }>(
    path.join(stateDir, MARKER),
  );
  const sameSize =
    marker?.mcps === size.mcps &&
    marker?.claims === size.claims &&
    marker?.basePort === basePort;
  // Other sizes, or a seed that did not finish, leave other data: start from empty etcd data then.
  if (!sameSize) fs.rmSync(path.join(stateDir, MARKER), { force: true });
  // A bench Space of another size kept running (--keep-space) holds the same ports: stop it.
  for (const dir of fs.existsSync(root) ? fs.readdirSync(root) : []) {
    const other = path.join(root, dir);
    if (!dir.startsWith('space-') || other === stateDir) continue;
    const st = readLocalSpaceState(other);
    if (
      st?.basePort === basePort &&
      st.etcd.pid &&
      isOurs(st.etcd.pid, other)
    ) {
      log(`stopping the bench Space in ${other} (same ports)`);
      await stopLocalSpace(other);
    }
  }
  const t0 = performance.now();
  const space = await startLocalSpace({
    stateDir,
    basePort,
    mcps: size.mcps,
    // With the same sizes the generated claims are still in etcd: start without applying them again.
    claims: sameSize ? 0 : size.claims,
    fresh: !sameSize,
    gitops: false,
    crossplane: false,
    onProgress: log,
  });
  const state = space.state;
  const objects = sameSize ? marker?.objects : state.seed?.objects;
  fs.writeFileSync(
    path.join(stateDir, MARKER),
    JSON.stringify({ ...size, basePort, objects }),
  );
  for (const cp of state.controlPlanes) {
    const pid = cp.controllerManager?.pid;
    if (pid && isOurs(pid, stateDir)) process.kill(pid, 'SIGTERM');
  }
  return {
    space,
    state,
    stateDir,
    startSeconds: (performance.now() - t0) / 1000,
    seeded: !sameSize,
    objects,
    rssMiB: spaceRss(state),
  };
}

/** Stops the bench Space in `stateDir` (its data stays for the next run with the same sizes). */
export async function stopBenchSpace(stateDir: string): Promise<void> {
  await stopLocalSpace(stateDir);
}

const conditions = (ready: string) => [
  {
    type: 'Synced',
    status: 'True',
    reason: 'ReconcileSuccess',
    lastTransitionTime: new Date().toISOString(),
  },
  {
    type: 'Ready',
    status: ready,
    reason: ready === 'True' ? 'Available' : 'Creating',
    lastTransitionTime: new Date().toISOString(),
  },
];

/** Five managed resource kinds, ten of each: four under the XR, one under the nested XR. */
const MR_KINDS = [
  {
    apiVersion: 'rds.aws.upbound.io/v1beta3',
    kind: 'Instance',
    short: 'instance',
  },
  { apiVersion: 's3.aws.upbound.io/v1beta1', kind: 'Bucket', short: 'bucket' },
  {
    apiVersion: 's3.aws.upbound.io/v1beta1',
    kind: 'BucketVersioning',
    short: 'versioning',
  },
  {
    apiVersion: 'kubernetes.crossplane.io/v1alpha2',
    kind: 'Object',
    short: 'object',
  },
  {
    apiVersion: 'rds.aws.upbound.io/v1beta1',
    kind: 'SubnetGroup',
    short: 'subnets',
  },
];

/**
 * A claim whose XR composes 40 managed resources of four kinds and a nested XNetwork, which composes
 * ten SubnetGroups: 50 managed resources across 5 kinds and one nested XR.
 */
export function graphObjects(mrPerKind = 10): KubeObject[] {
  const xr = `${GRAPH_CLAIM}-x`;
  const net = `${GRAPH_CLAIM}-net`;
  const claimLabels = {
    'crossplane.io/claim-name': GRAPH_CLAIM,
    'crossplane.io/claim-namespace': GRAPH_NAMESPACE,
  };
  const mr = (
    k: (typeof MR_KINDS)[number],
    i: number,
    owner: string,
    ownerKind: string,
    ownerApi: string,
  ) => ({
    apiVersion: k.apiVersion,
    kind: k.kind,
    metadata: {
      name: `${owner}-${k.short}-${i}`,
      labels: { 'crossplane.io/composite': owner, ...claimLabels },
      annotations: {
        'crossplane.io/composition-resource-name': `${k.short}-${i}`,
      },
      ownerReferences: [
        {
          apiVersion: ownerApi,
          kind: ownerKind,
          name: owner,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec:
      k.kind === 'Object'
        ? { forProvider: { manifest: { apiVersion: 'v1', kind: 'ConfigMap' } } }
        : { forProvider: { region: 'us-east-1' } },
    status: {
      conditions: conditions(
        i === 3 && k.kind === 'Instance' ? 'False' : 'True',
      ),
    },
  });
  const top = MR_KINDS.slice(0, 4).flatMap(k =>
    Array.from({ length: mrPerKind }, (_, i) =>
      mr(k, i, xr, 'XPostgreSQLInstance', 'database.example.org/v1alpha1'),
    ),
  );
  const nested = Array.from({ length: mrPerKind }, (_, i) =>
    mr(MR_KINDS[4], i, net, 'XNetwork', 'network.example.org/v1alpha1'),
  );
  const ref = (o: KubeObject) => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.metadata.name,
  });
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: GRAPH_NAMESPACE },
    },
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: FRESHNESS_NAMESPACE },
    },
    {
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'PostgreSQLInstance',
      metadata: { name: GRAPH_CLAIM, namespace: GRAPH_NAMESPACE },
      spec: {
        parameters: { storageGB: 20 },
        compositionRef: { name: 'xpostgresqlinstances-aws' },
        resourceRef: {
          apiVersion: 'database.example.org/v1alpha1',
          kind: 'XPostgreSQLInstance',
          name: xr,
        },
      },
      status: { conditions: conditions('False') },
    },
    {
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'XPostgreSQLInstance',
      metadata: {
        name: xr,
        labels: { 'crossplane.io/composite': xr, ...claimLabels },
      },
      spec: {
        parameters: { storageGB: 20 },
        compositionRef: { name: 'xpostgresqlinstances-aws' },
        claimRef: {
          apiVersion: 'database.example.org/v1alpha1',
          kind: 'PostgreSQLInstance',
          namespace: GRAPH_NAMESPACE,
          name: GRAPH_CLAIM,
        },
        resourceRefs: [
          ...top.map(ref),
          {
            apiVersion: 'network.example.org/v1alpha1',
            kind: 'XNetwork',
            name: net,
          },
        ],
      },
      status: { conditions: conditions('False') },
    },
    {
      apiVersion: 'network.example.org/v1alpha1',
      kind: 'XNetwork',
      metadata: {
        name: net,
        labels: { 'crossplane.io/composite': net, ...claimLabels },
        ownerReferences: [
          {
            apiVersion: 'database.example.org/v1alpha1',
            kind: 'XPostgreSQLInstance',
            name: xr,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: { resourceRefs: nested.map(ref) },
      status: { conditions: conditions('True') },
    },
    ...top,
    ...nested,
  ];
}

/**
 * The status Crossplane writes on an XRD (Established, Offered when it offers a claim, and the
 * controllers' types). The bench Space runs without Crossplane, so nothing else writes it; clients
 * that read it (TeraSky's ingestor does) need it to see what a real control plane shows.
 */
async function writeXrdStatus(kube: KubeHttp): Promise<void> {
  const path =
    '/apis/apiextensions.crossplane.io/v1/compositeresourcedefinitions';
  const { items } = await kube.ok('GET', path);
  const at = new Date().toISOString();
  const condition = (type: string, reason: string) => ({
    type,
    status: 'True',
    reason,
    lastTransitionTime: at,
  });
  await Promise.all(
    items.map((xrd: any) => {
      const version =
        xrd.spec.versions.find((v: any) => v.referenceable)?.name ??
        xrd.spec.versions[0].name;
      const apiVersion = `${xrd.spec.group}/${version}`;
      const claim = xrd.spec.claimNames;
      return kube.ok(
        'PATCH',
        `${path}/${xrd.metadata.name}/status`,
        {
          status: {
            conditions: [
              condition('Established', 'WatchingCompositeResource'),
              ...(claim
                ? [condition('Offered', 'WatchingCompositeResourceClaim')]
                : []),
            ],
            controllers: {
              compositeResourceType: { apiVersion, kind: xrd.spec.names.kind },
              compositeResourceClaimType: claim
                ? { apiVersion, kind: claim.kind }
                : { apiVersion: '', kind: '' },
            },
          },
        },
        'application/merge-patch+json',
      );
    }),
  );
}

/**
 * Writes the XRDs' status on every running control plane, and applies the graph claim and the
 * freshness namespace to the target control plane.
 */
export async function seedBenchObjects(space: BenchSpace): Promise<void> {
  await Promise.all(
    space.state.controlPlanes
      .filter(c => c.running && c.kubeconfigPath)
      .map(async c => {
        const kube = KubeHttp.fromKubeconfig(c.kubeconfigPath!, 4);
        try {
          await writeXrdStatus(kube);
        } finally {
          kube.close();
        }
      }),
  );
  const cp = space.state.controlPlanes.find(
    c => `${c.group}/${c.name}` === TARGET_CONTROL_PLANE,
  )!;
  const kube = KubeHttp.fromKubeconfig(cp.kubeconfigPath!, 16);
  try {
    const objects = graphObjects();
    // Owners first: ownerReferences need their uid.
    const uids = new Map<string, string>();
    const owners = new Set([
      'Namespace',
      'PostgreSQLInstance',
      'XPostgreSQLInstance',
      'XNetwork',
    ]);
    for (const obj of objects.filter(o => owners.has(o.kind))) {
      for (const o of obj.metadata.ownerReferences ?? [])
        o.uid = uids.get(`${o.kind}/${o.name}`);
      const applied = await kube.apply(obj);
      uids.set(`${obj.kind}/${obj.metadata.name}`, applied.metadata.uid);
    }
    await Promise.all(
      objects
        .filter(o => !owners.has(o.kind))
        .map(o => {
          for (const r of o.metadata.ownerReferences ?? [])
            r.uid = uids.get(`${r.kind}/${r.name}`);
          return kube.apply(o);
        }),
    );
  } finally {
    kube.close();
  }
}
