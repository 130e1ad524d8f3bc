import type {
  ClaimList,
  ConnectionsResponse,
  GitOpsStatusResponse,
  KubeEvent,
} from '@upbound-backstage/plugin-upbound-common';

const CP = 'space/local/platform/ctp-a';

/** `GET /controlplanes/:id/claims`: one ready claim, one failing claim, one v2 XR. */
export const claimList: ClaimList = {
  totalCount: 3,
  errors: [],
  items: [
    {
      controlPlaneId: CP,
      type: 'claim',
      apiVersion: 'platform.example.org/v1alpha1',
      kind: 'Database',
      namespace: 'team-a',
      name: 'orders-db',
      ready: { state: 'True', reason: 'Available' },
      synced: { state: 'True', reason: 'ReconcileSuccess' },
      compositionName: 'database-aws',
      connectionSecretName: 'orders-db-conn',
      createdAt: '2026-11-01T10:00:00Z',
    },
    {
      controlPlaneId: CP,
      type: 'claim',
      apiVersion: 'platform.example.org/v1alpha1',
      kind: 'Database',
      namespace: 'team-a',
      name: 'billing-db',
      ready: { state: 'False', reason: 'Unavailable', message: 'composite resource is not ready' },
      synced: { state: 'True', reason: 'ReconcileSuccess' },
      compositionName: 'database-aws',
      createdAt: '2026-11-02T10:00:00Z',
      connector: { appCluster: 'app-east', appNamespace: 'billing', appName: 'billing-db' },
    },
    {
      controlPlaneId: CP,
      type: 'composite',
      apiVersion: 'storage.example.org/v1',
      kind: 'Bucket',
      namespace: 'team-b',
      name: 'assets',
      ready: { state: 'Unknown' },
      synced: { state: 'Unknown' },
      paused: true,
    },
  ],
};

/** `GET /controlplanes/:id/connections`. */
export const connections: ConnectionsResponse = {
  errors: [],
  connections: [
    {
      clusterId: 'b1c2d3',
      appCluster: 'app-east',
      claimNamespaces: ['app-east-claims'],
      claimCount: 2,
      apiServices: [
        {
          name: 'v1alpha1.platform.example.org',
          group: 'platform.example.org',
          version: 'v1alpha1',
          available: { state: 'True' },
          claimCount: 2,
        },
        {
          name: 'v1.storage.example.org',
          group: 'storage.example.org',
          version: 'v1',
          available: { state: 'False', reason: 'FailedDiscoveryCheck', message: 'no response' },
          claimCount: 0,
        },
      ],
    },
  ],
};

/** `GET /controlplanes/:id/gitops`: one Argo CD Application, one Flux Kustomization. */
export const gitops: GitOpsStatusResponse = {
  errors: [{ cluster: 'app-west', type: 'forbidden', message: 'applications.argoproj.io is forbidden' }],
  argocd: [
    {
      instance: 'app-east',
      namespace: 'argocd',
      name: 'ctp-a-claims',
      project: 'default',
      repoURL: 'https://github.com/acme/claims',
      path: 'claims',
      targetRevision: 'main',
      syncStatus: 'Synced',
      syncRevision: '4f2a9c1e8b7d',
      healthStatus: 'Healthy',
      canSync: true,
    },
  ],
  flux: [
    {
      instance: 'app-east',
      namespace: 'flux-system',
      name: 'ctp-a-claims',
      sourceRef: { kind: 'GitRepository', name: 'claims' },
      path: './claims',
      ready: { state: 'False', reason: 'BuildFailed', message: 'kustomization path not found' },
      lastAppliedRevision: 'main@sha1:1234567',
    },
  ],
};

/** Events, newest first. */
export const events: KubeEvent[] = [
  {
    type: 'Warning',
    reason: 'CannotCreateExternalResource',
    message: 'InvalidParameterValue: instance class db.x9.huge is not supported',
    count: 4,
    lastTimestamp: '2026-11-20T10:05:00Z',
    source: 'provider-aws-rds',
  },
  {
    type: 'Normal',
    reason: 'CreatedExternalResource',
    message: 'Successfully requested creation of external resource',
    count: 1,
    lastTimestamp: '2026-11-20T10:00:00Z',
  },
];
