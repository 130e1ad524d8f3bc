import type { ClaimApi } from '@upbound-backstage/plugin-upbound-common';
import type { ControlPlane } from '@upbound-backstage/plugin-upbound-node';
import {
  createFakeUpboundService,
  gitOpsTypes,
  xrdOf,
  type FakeUpboundService,
  type InMemoryKubeClient,
} from '@upbound-backstage/plugin-upbound-node/testUtils';

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
  service: FakeUpboundService;
  mcp: InMemoryKubeClient;
  app: InMemoryKubeClient;
  /** The one control plane; tests may change its source (e.g. to `cloud`). */
  controlPlane: ControlPlane;
}

const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

/**
 * The node library's fake Upbound service with one Space control plane serving two claim APIs
 * (from their XRDs), and one app cluster with Argo CD and Flux installed.
 */
export function createFakeUpbound(options?: { withGitOpsApis?: boolean }): FakeUpbound {
  const service = createFakeUpboundService({
    appClusters: [
      {
        name: 'app-1',
        title: 'App cluster 1',
        clusterId: CLUSTER_ID,
        source: 'upbound',
        server: 'https://127.0.0.1:16450',
        objects: [
          ...['argocd', 'flux-system', 'kube-system', 'default'].map(namespace),
          {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'argocd-cm', namespace: 'argocd' },
            data: { url: 'https://argocd.example.com', 'resource.respectRBAC': 'normal' },
          },
        ],
      },
    ],
    argocd: [{ name: 'main', appCluster: 'app-1', namespace: 'argocd' }],
    flux: [{ name: 'main', appCluster: 'app-1', namespace: 'flux-system' }],
  });
  const controlPlane = service.addControlPlane({
    name: 'ctp-a',
    space: 'local',
    group: 'platform',
    server: CP_SERVER,
    caData: CP_CA,
    token: CP_TOKEN,
    objects: [...CLAIM_APIS.map(xrdOf), namespace('default'), namespace('team-a')],
  });
  const app = service.client('app-cluster/app-1');
  if (options?.withGitOpsApis === false) app.removeTypes(...gitOpsTypes);
  return { service, mcp: service.client(CP_ID), app, controlPlane };
}
