import type {
  ClaimApi,
  ControlPlaneList,
  ControlPlaneListItem,
} from '@upbound-backstage/plugin-upbound-common';

const ready = { state: 'True' as const, reason: 'Available' };

/** A healthy control plane in the local Space. */
export const ctpA: ControlPlaneListItem = {
  id: 'space/local/platform/ctp-a',
  source: 'space',
  space: 'local',
  group: 'platform',
  name: 'ctp-a',
  ready,
  healthy: { state: 'True', reason: 'HealthyControlPlane' },
  conditions: [{ type: 'Ready', status: 'True', reason: 'Available' }],
  crossplaneVersion: '1.20.1-up.1',
  consoleUrl: 'https://console.upbound.io/acme/controlPlanes/platform/ctp-a',
  counts: { claimApiCount: 2, claimCount: 5, failingClaimCount: 1, appClusterCount: 1 },
};

/** A control plane whose ControlPlane object reports unhealthy. */
export const ctpB: ControlPlaneListItem = {
  id: 'space/local/team-b/ctp-b',
  source: 'space',
  space: 'local',
  group: 'team-b',
  name: 'ctp-b',
  ready: { state: 'False', reason: 'Unavailable' },
  healthy: {
    state: 'False',
    reason: 'UnhealthyControlPlane',
    message: 'crossplane deployment is not available',
  },
  conditions: [],
  crossplaneVersion: '1.19.0',
  message: 'crossplane deployment is not available',
  counts: { claimApiCount: 1, claimCount: 0, failingClaimCount: 0, appClusterCount: 0 },
};

/** A direct control plane that cannot be reached. */
export const ctpDown: ControlPlaneListItem = {
  id: 'direct/oss-lab',
  source: 'direct',
  name: 'oss-lab',
  ready: { state: 'Unknown' },
  conditions: [],
  error: {
    cluster: 'direct/oss-lab',
    type: 'unreachable',
    message: 'connect ECONNREFUSED 127.0.0.1:6443',
  },
};

/** `GET /controlplanes`: two Space control planes and one unreachable direct one. */
export const controlPlaneList: ControlPlaneList = {
  items: [ctpA, ctpB, ctpDown],
  errors: [ctpDown.error!],
};

/** Claim APIs of ctp-a: a legacy XRD offering a claim and a v2 namespaced XRD. */
export const claimApis: ClaimApi[] = [
  {
    name: 'xdatabases.platform.example.org',
    xrdApiVersion: 'apiextensions.crossplane.io/v1',
    group: 'platform.example.org',
    kind: 'XDatabase',
    plural: 'xdatabases',
    claimKind: 'Database',
    claimPlural: 'databases',
    scope: 'LegacyCluster',
    referenceableVersion: 'v1alpha1',
    established: { state: 'True' },
    offered: { state: 'True' },
    defaultCompositionRef: 'database-aws',
    versions: [
      {
        name: 'v1alpha1',
        served: true,
        referenceable: true,
        schema: {
          type: 'object',
          properties: {
            spec: {
              type: 'object',
              required: ['engine', 'size'],
              properties: {
                engine: { type: 'string', enum: ['postgres', 'mysql'], description: 'Database engine' },
                size: { type: 'string', description: 'small, medium or large' },
                storageGB: { type: 'integer', default: 20 },
              },
            },
          },
        },
      },
    ],
  },
  {
    name: 'buckets.storage.example.org',
    xrdApiVersion: 'apiextensions.crossplane.io/v2',
    group: 'storage.example.org',
    kind: 'Bucket',
    plural: 'buckets',
    scope: 'Namespaced',
    referenceableVersion: 'v1',
    established: { state: 'True' },
    versions: [
      {
        name: 'v1',
        served: true,
        referenceable: true,
        schema: {
          type: 'object',
          properties: {
            spec: {
              type: 'object',
              properties: { region: { type: 'string' }, versioning: { type: 'boolean' } },
            },
          },
        },
      },
    ],
  },
];
