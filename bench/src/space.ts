/**
 * The bench's local Space: started through the local-space CLI in its own state dir and ports, seeded
 * once with N control planes x M claims (the etcd data is kept, so later runs skip the slow seeding),
 * plus the bench's own objects: the graph claim and the namespace of the freshness changes.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { LocalSpaceState, LocalSpaceTokens } from '@internal/local-space';
import type { BenchOptions } from './options';
import { REPO_ROOT } from './options';

const run = promisify(execFile);
const CLI = path.join(REPO_ROOT, 'packages/local-space/bin/local-space.mjs');
const MARKER = 'bench-seed.json';

/** The control plane that holds the graph claim and takes the freshness changes. */
export const TARGET_CONTROL_PLANE = 'platform/dev';
export const GRAPH_NAMESPACE = 'bench-graph';
export const GRAPH_CLAIM = 'graph-db';
export const FRESHNESS_NAMESPACE = 'bench-fresh';

export interface BenchSpace {
  state: LocalSpaceState;
  tokens: LocalSpaceTokens;
  ca: string;
  /** Seconds spent seeding in this run (0 when the kept data already had the sizes). */
  seedSeconds: number;
  started: boolean;
}

async function cli(args: string[], log: (l: string) => void): Promise<string> {
  const child = run(process.execPath, [CLI, ...args], { maxBuffer: 64 << 20 });
  child.child.stderr?.on('data', d => log(String(d).trimEnd()));
  const { stdout } = await child;
  return stdout;
}

function readJson<T>(file: string): T | undefined {
  return fs.existsSync(file)
    ? JSON.parse(fs.readFileSync(file, 'utf8'))
    : undefined;
}

/** Starts (or reuses) the Space with the requested sizes. */
export async function startBenchSpace(
  o: BenchOptions,
  log: (l: string) => void,
): Promise<BenchSpace> {
  const marker = readJson<{ mcps: number; claims: number }>(
    path.join(o.stateDir, MARKER),
  );
  const previous = readJson<LocalSpaceState>(
    path.join(o.stateDir, 'state.json'),
  );
  const sameSize =
    marker?.mcps === o.mcps &&
    marker?.claims === o.claims &&
    previous?.basePort === o.basePort;
  const t0 = performance.now();
  // With the same sizes the generated claims are still in etcd: start without re-applying them.
  const args = [
    'start',
    '--state-dir',
    o.stateDir,
    '--base-port',
    String(o.basePort),
    '--mcps',
    String(o.mcps),
    '--claims',
    String(sameSize ? 0 : o.claims),
    // Bench data is seeded with its status; Crossplane would reconcile (and rewrite) every generated claim.
    '--no-crossplane',
    '--json',
  ];
  if (!sameSize) args.push('--fresh');
  const state: LocalSpaceState = JSON.parse(await cli(args, log));
  const seedSeconds = sameSize ? 0 : (performance.now() - t0) / 1000;
  fs.writeFileSync(
    path.join(o.stateDir, MARKER),
    JSON.stringify({ mcps: o.mcps, claims: o.claims }),
  );
  return {
    state,
    tokens: JSON.parse(fs.readFileSync(state.tokensFile, 'utf8')),
    ca: fs.readFileSync(state.caFile, 'utf8'),
    seedSeconds,
    started: true,
  };
}

export async function stopBenchSpace(
  o: BenchOptions,
  log: (l: string) => void,
) {
  await cli(['stop', '--state-dir', o.stateDir], log);
}

/** The local Space's request helper (server-side apply with status), used only to write bench data. */
export async function requester(kubeconfigPath: string) {
  const { KubeRequester } = await import(
    path.join(REPO_ROOT, 'packages/local-space/src/lib/kube.mjs')
  );
  return KubeRequester.fromFile(kubeconfigPath, { maxSockets: 16 });
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
export function graphObjects(mrPerKind = 10): Record<string, any>[] {
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
  const ref = (o: Record<string, any>) => ({
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

/** Applies the graph claim and the freshness namespace to the target control plane. */
export async function seedBenchObjects(space: BenchSpace): Promise<void> {
  const cp = space.state.controlPlanes.find(
    c => `${c.group}/${c.name}` === TARGET_CONTROL_PLANE,
  )!;
  const kube = await requester(cp.kubeconfigPath!);
  try {
    const objects = graphObjects();
    // Owners first: ownerReferences need their uid.
    const uids = new Map<string, string>();
    for (const obj of objects) {
      for (const o of obj.metadata.ownerReferences ?? [])
        o.uid = uids.get(`${o.kind}/${o.name}`);
      if (
        obj.kind === 'XNetwork' ||
        obj.kind === 'XPostgreSQLInstance' ||
        obj.kind === 'Namespace' ||
        obj.kind === 'PostgreSQLInstance'
      ) {
        const applied = await kube.apply(obj, 'bench');
        uids.set(`${obj.kind}/${obj.metadata.name}`, applied.metadata.uid);
      }
    }
    await Promise.all(
      objects
        .filter(o => !uids.has(`${o.kind}/${o.metadata.name}`))
        .map(o => kube.apply(o, 'bench')),
    );
  } finally {
    kube.close();
  }
}

/** The graph claim's coordinates, as a query string of the graph routes. */
export const GRAPH_QUERY = `apiVersion=${encodeURIComponent(
  'database.example.org/v1alpha1',
)}&kind=PostgreSQLInstance&namespace=${GRAPH_NAMESPACE}&name=${GRAPH_CLAIM}`;
