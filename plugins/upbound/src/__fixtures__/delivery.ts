import type {
  ArgoApplicationStatus,
  ClaimDelivery,
  FluxKustomizationStatus,
} from '@upbound-backstage/plugin-upbound-common';

/** A Flux Kustomization that applies claims from sub-folders, Ready at a commit. */
export const fluxKustomization: FluxKustomizationStatus = {
  instance: 'app-east',
  namespace: 'flux-system',
  name: 'prod-claims',
  sourceRef: { kind: 'GitRepository', name: 'flux-system' },
  path: './claims',
  ready: {
    state: 'True',
    reason: 'ReconciliationSucceeded',
    message:
      'Applied revision: main@sha1:9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
  },
  readySince: '2026-11-20T10:01:00Z',
  lastAppliedRevision: 'main@sha1:9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
  source: {
    url: 'http://127.0.0.1:27480/platform-claims.git',
    ready: { state: 'True', reason: 'Succeeded' },
    revision: 'main@sha1:9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
  },
  resourceCount: 3,
};

/** An Argo CD Application that applies claims from a folder, Synced and Healthy. */
export const argoApplication: ArgoApplicationStatus = {
  instance: 'app-east',
  namespace: 'argocd',
  name: 'payments-claims',
  project: 'default',
  repoURL: 'https://git.example.org/platform-claims.git',
  path: 'claims',
  targetRevision: 'main',
  syncStatus: 'Synced',
  syncRevision: '4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39',
  healthStatus: 'Healthy',
  operationPhase: 'Succeeded',
  operationFinishedAt: '2026-11-20T10:00:30Z',
  resourceCount: 2,
  canSync: true,
};

/** `GET /entities/:kind/:namespace/:name/delivery` of a claim applied by Flux, stuck at its managed resources. */
export const fluxDelivery: ClaimDelivery = {
  origin: { engine: 'flux', name: 'prod-claims', namespace: 'flux-system' },
  kustomization: fluxKustomization,
  steps: [
    {
      stage: 'revision',
      title:
        'Revision main@sha1:9f8e7d6c5b4a39281706f5e4d3c2b1a098765432 of http://127.0.0.1:27480/platform-claims.git (./claims)',
      state: 'done',
      at: '2026-11-20T10:01:00Z',
    },
    {
      stage: 'applied',
      title: 'Applied by Flux Kustomization flux-system/prod-claims',
      state: 'done',
      at: '2026-11-20T10:01:00Z',
    },
    {
      stage: 'claim',
      title: 'Claim team-a/billing-db created',
      state: 'done',
      at: '2026-11-20T10:01:01Z',
    },
    {
      stage: 'composite',
      title: 'Composite billing-db-x7k2p',
      state: 'done',
      at: '2026-11-20T10:01:05Z',
    },
    {
      stage: 'resources',
      title: '1 of 2 managed resources Ready',
      state: 'failed',
      at: '2026-11-20T10:02:00Z',
      message:
        'Instance billing-db-x7k2p-rds: InvalidParameterValue: instance class db.x9.huge is not supported',
    },
  ],
  errors: [],
};

/** A claim no GitOps engine applied: only the Crossplane steps. */
export const directDelivery: ClaimDelivery = {
  steps: [
    {
      stage: 'claim',
      title: 'Claim team-a/orders-db created',
      state: 'done',
      at: '2026-11-20T09:00:00Z',
    },
    {
      stage: 'composite',
      title: 'Composite resource',
      state: 'pending',
      message:
        'Crossplane has not bound a composite resource to this claim yet',
    },
  ],
  errors: [],
};
