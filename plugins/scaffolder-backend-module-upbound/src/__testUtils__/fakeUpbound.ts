import { NotFoundError } from '@backstage/errors';
import type { ClaimApi } from '@upbound-backstage/plugin-upbound-common';
import type {
  AppCluster,
  ArgoCdInstance,
  ControlPlane,
  FluxInstance,
  UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import { FakeKubeClient, GITOPS_TYPES, rt } from './FakeKubeClient';

export const CP_ID = 'space/local/platform/ctp-a';
export const CP_SERVER =
  'https://127.0.0.1:18443/apis/spaces.upbound.io/v1beta1/namespaces/platform/controlplanes/ctp-a/k8s';
export const CP_CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
export const CP_TOKEN = 'cp-token-s3cr3t-value';
export const CLUSTER_ID = '00000000-0000-0000-0000-000000000001';

const postgresSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['parameters'],
      properties: {
        parameters: {
          type: 'object',
          required: ['storageGB'],
          properties: {
            storageGB: { type: 'integer', minimum: 1 },
            version: { type: 'string', enum: ['15', '16'] },
            port: { 'x-kubernetes-int-or-string': true },
            tags: { type: 'object', additionalProperties: { type: 'string' } },
          },
        },
      },
    },
  },
};

const bucketSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        region: { type: 'string' },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
  },
};

/** A legacy XRD offering a claim, and a v2 namespaced XR API. */
export const CLAIM_APIS: ClaimApi[] = [
  {
    name: 'xpostgresqlinstances.database.example.org',
    xrdApiVersion: 'apiextensions.crossplane.io/v1',
    group: 'database.example.org',
    kind: 'XPostgreSQLInstance',
    plural: 'xpostgresqlinstances',
    claimKind: 'PostgreSQLInstance',
    claimPlural: 'postgresqlinstances',
    scope: 'LegacyCluster',
    versions: [
      { name: 'v1alpha1', served: true, referenceable: true, schema: postgresSchema },
    ],
    referenceableVersion: 'v1alpha1',
  },
  {
    name: 'buckets.storage.example.org',
    xrdApiVersion: 'apiextensions.crossplane.io/v2',
    group: 'storage.example.org',
    kind: 'Bucket',
    plural: 'buckets',
    scope: 'Namespaced',
    versions: [{ name: 'v1', served: true, referenceable: true, schema: bucketSchema }],
    referenceableVersion: 'v1',
  },
];

export interface FakeUpbound {
  service: UpboundService;
  mcp: FakeKubeClient;
  app: FakeKubeClient;
  /** The one control plane; tests may change its source (e.g. to `cloud`). */
  controlPlane: ControlPlane;
}

/**
 * An UpboundService over fake clusters: one Space control plane with two claim APIs, one app
 * cluster with Argo CD and Flux installed.
 */
export function createFakeUpbound(options?: { withGitOpsApis?: boolean }): FakeUpbound {
  const mcp = new FakeKubeClient(CP_ID, [
    rt('database.example.org/v1alpha1', 'PostgreSQLInstance', 'postgresqlinstances'),
    rt('database.example.org/v1alpha1', 'XPostgreSQLInstance', 'xpostgresqlinstances', false),
    rt('storage.example.org/v1', 'Bucket', 'buckets'),
  ]);
  mcp.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  mcp.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });

  const app = new FakeKubeClient(
    'app-cluster/app-1',
    options?.withGitOpsApis === false ? [] : GITOPS_TYPES,
  );
  for (const ns of ['argocd', 'flux-system', 'kube-system', 'default']) {
    app.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }
  app.seed({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'argocd-cm', namespace: 'argocd' },
    data: { url: 'https://argocd.example.com', 'resource.respectRBAC': 'normal' },
  });

  const controlPlane: ControlPlane = {
    id: CP_ID,
    source: 'space',
    space: 'local',
    group: 'platform',
    name: 'ctp-a',
    ready: { state: 'True' },
    conditions: [],
    client: mcp,
    server: CP_SERVER,
    caData: CP_CA,
  };
  const appCluster: AppCluster = {
    name: 'app-1',
    title: 'App cluster 1',
    clusterId: CLUSTER_ID,
    source: 'upbound',
    client: app,
    server: 'https://127.0.0.1:16450',
  };
  const argocd: ArgoCdInstance = { name: 'main', appCluster: 'app-1', namespace: 'argocd' };
  const flux: FluxInstance = { name: 'main', appCluster: 'app-1', namespace: 'flux-system' };

  const service: UpboundService = {
    async inventory() {
      return { controlPlanes: [controlPlane], errors: [], refreshedAt: new Date(0).toISOString() };
    },
    async controlPlane(id) {
      if (id !== CP_ID) throw new NotFoundError(`No control plane '${id}'`);
      return controlPlane;
    },
    appClusters: () => [appCluster],
    appCluster(name) {
      if (name !== 'app-1') throw new NotFoundError(`No app cluster '${name}'`);
      return appCluster;
    },
    argoCdInstances: () => [argocd],
    fluxInstances: () => [flux],
    async claimApis(id) {
      if (id !== CP_ID) throw new NotFoundError(`No control plane '${id}'`);
      return CLAIM_APIS;
    },
    async controlPlaneCredentials(id) {
      if (id !== CP_ID) throw new NotFoundError(`No control plane '${id}'`);
      return { server: CP_SERVER, caData: CP_CA, bearerToken: CP_TOKEN };
    },
    onInventoryChange: () => () => {},
    stats: () => ({}),
  };
  return { service, mcp, app, controlPlane };
}
