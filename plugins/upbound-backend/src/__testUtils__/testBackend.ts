/*
 * A test backend with the plugin, a fake Upbound service, a catalog and a configurable
 * permission decision per permission name.
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  type Permission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  KubeError,
  upboundServiceRef,
  type ArgoCdInstance,
  type KubeObject,
} from '@upbound-backstage/plugin-upbound-node';
import {
  createFakeUpboundService,
  xrdOf,
  type KubeCall,
} from '@upbound-backstage/plugin-upbound-node/testUtils';
import { upboundPlugin } from '../plugin';
import { claimApis, cpId, types, v1Tree, v2Tree } from './crossplaneFixtures';

export const SECRET_TOKEN = 'SUPER-SECRET-TOKEN-abc123';
export const ARGO_TOKEN = 'ARGO-API-TOKEN-xyz789';
export const brokenId = 'space/local/platform/ctp-down';
const b64 = (s: string) => Buffer.from(s).toString('base64');

export function mcpServer(name = 'ctp-a') {
  return `https://127.0.0.1:18443/apis/spaces.upbound.io/v1beta1/namespaces/platform/controlplanes/${name}/k8s`;
}

export function kubeconfigFor(server: string) {
  return [
    'apiVersion: v1',
    'kind: Config',
    'current-context: mcp',
    'clusters:',
    `- name: mcp`,
    `  cluster: { server: "${server}", certificate-authority-data: Q0EtREFUQQ== }`,
    'contexts:',
    '- name: mcp',
    '  context: { cluster: mcp, user: mcp }',
    'users:',
    '- name: mcp',
    `  user: { token: ${SECRET_TOKEN} }`,
  ].join('\n');
}

function events(): KubeObject[] {
  const involved = {
    apiVersion: 'platform.example.org/v1alpha1',
    kind: 'Database',
    namespace: 'team-a',
    name: 'db-1',
    uid: 'uid-claim',
  };
  return [
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'db-1.1', namespace: 'team-a', uid: 'ev-1' },
      involvedObject: involved,
      type: 'Normal',
      reason: 'ConfigureCompositeResource',
      message: 'Successfully applied composite resource',
      count: 3,
      firstTimestamp: '2026-01-01T10:00:00Z',
      lastTimestamp: '2026-01-01T10:05:00Z',
      source: {
        component:
          'offered/compositeresourcedefinition.apiextensions.crossplane.io',
      },
    },
    {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'db-1.1', namespace: 'team-a', uid: 'ev-1' },
      regarding: involved,
      type: 'Normal',
      reason: 'ConfigureCompositeResource',
      note: 'Successfully applied composite resource',
      deprecatedCount: 3,
      deprecatedLastTimestamp: '2026-01-01T10:05:00Z',
      reportingController: 'crossplane',
    },
    {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'db-1.2', namespace: 'team-a', uid: 'ev-2' },
      regarding: involved,
      type: 'Warning',
      reason: 'BindCompositeResource',
      note: 'cannot bind',
      eventTime: '2026-01-01T11:00:00.123456Z',
      reportingController: 'crossplane',
    },
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'other', namespace: 'team-a', uid: 'ev-3' },
      involvedObject: { ...involved, name: 'db-2', uid: 'uid-db-2' },
      type: 'Normal',
      reason: 'Other',
      lastTimestamp: '2026-01-01T12:00:00Z',
    },
  ];
}

function appClusterObjects(): KubeObject[] {
  const server = mcpServer();
  return [
    {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1alpha1.platform.example.org' },
      spec: {
        group: 'platform.example.org',
        version: 'v1alpha1',
        service: { namespace: 'kube-system', name: 'mcp-connector' },
      },
      status: {
        conditions: [{ type: 'Available', status: 'True', reason: 'Passed' }],
      },
    },
    {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1.apps' },
      spec: { group: 'apps', version: 'v1' },
      status: {
        conditions: [{ type: 'Available', status: 'True', reason: 'Local' }],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'ctp-a-cluster',
        namespace: 'argocd',
        labels: { 'argocd.argoproj.io/secret-type': 'cluster' },
      },
      data: {
        name: b64('ctp-a'),
        server: b64(`${server}/`),
        config: b64(JSON.stringify({ bearerToken: SECRET_TOKEN })),
      },
    },
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'claims-team-a', namespace: 'argocd' },
      spec: {
        project: 'default',
        source: {
          repoURL: 'https://git.example.com/claims',
          path: 'team-a',
          targetRevision: 'main',
        },
        destination: { name: 'ctp-a', namespace: 'team-a' },
      },
      status: {
        sync: { status: 'Synced', revision: 'abc' },
        health: { status: 'Healthy' },
        operationState: { phase: 'Succeeded', message: 'successfully synced' },
      },
    },
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'by-server', namespace: 'argocd' },
      spec: {
        source: { repoURL: 'r' },
        destination: { server: `${server.replace('https://', 'HTTPS://')}//` },
      },
      status: {
        sync: { status: 'OutOfSync' },
        health: { status: 'Progressing' },
      },
    },
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'elsewhere', namespace: 'argocd' },
      spec: { destination: { server: 'https://kubernetes.default.svc' } },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'ctp-a-kubeconfig', namespace: 'flux-system' },
      data: { value: b64(kubeconfigFor(server)) },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'other-kubeconfig', namespace: 'flux-system' },
      data: { 'value.yaml': b64(kubeconfigFor('https://other.example.com')) },
    },
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'claims', namespace: 'flux-system' },
      spec: {
        path: './claims',
        sourceRef: { kind: 'GitRepository', name: 'claims' },
        kubeConfig: { secretRef: { name: 'ctp-a-kubeconfig' } },
      },
      status: {
        conditions: [
          { type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded' },
        ],
        lastAppliedRevision: 'main@sha1:1234',
      },
    },
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'other', namespace: 'flux-system' },
      spec: { kubeConfig: { secretRef: { name: 'other-kubeconfig' } } },
    },
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'local', namespace: 'flux-system' },
      spec: { path: './apps' },
    },
  ];
}

const claimAnnotations = {
  'upbound.io/control-plane-id': cpId,
  'upbound.io/api-version': 'platform.example.org/v1alpha1',
  'upbound.io/kind': 'Database',
  'upbound.io/namespace': 'team-a',
  'upbound.io/name': 'db-1',
};

/** The entity the Upbound provider emits for claim team-a/db-1 (its managed-by origin says so). */
export const claimEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'ctp-a-team-a-db-1',
    namespace: 'default',
    annotations: {
      'backstage.io/managed-by-location': `upbound:${cpId}`,
      'backstage.io/managed-by-origin-location':
        'upbound:upbound-provider:default',
      'upbound.io/control-plane-id': cpId,
      'upbound.io/api-version': 'platform.example.org/v1alpha1',
      'upbound.io/kind': 'Database',
      'upbound.io/namespace': 'team-a',
      'upbound.io/name': 'db-1',
    },
  },
  spec: { type: 'crossplane-claim', owner: 'group:default/team-a' },
};

/**
 * An entity someone registered from a URL, pointing at claim team-a/db-1 that another team owns
 * (the confused deputy): it owns the entity, not the claim.
 */
export const forgedEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'not-really-db-1',
    namespace: 'default',
    annotations: {
      'backstage.io/managed-by-location':
        'url:https://example.com/catalog-info.yaml',
      'backstage.io/managed-by-origin-location':
        'url:https://example.com/catalog-info.yaml',
      ...claimAnnotations,
    },
  },
  spec: { type: 'crossplane-claim', owner: 'group:default/team-b' },
};

/** An entity from another source for XR team-b/cache-1, which names it back when a test says so. */
export const backReferencedEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'cache-1-from-git',
    namespace: 'default',
    annotations: {
      'backstage.io/managed-by-location': 'url:https://example.com/cache.yaml',
      'backstage.io/managed-by-origin-location':
        'url:https://example.com/cache.yaml',
      'upbound.io/control-plane-id': cpId,
      'upbound.io/api-version': 'apps.example.org/v1',
      'upbound.io/kind': 'App',
      'upbound.io/namespace': 'team-b',
      'upbound.io/name': 'cache-1',
    },
  },
  spec: { type: 'crossplane-composite', owner: 'group:default/team-b' },
};

export const plainEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/team-a',
    lifecycle: 'production',
  },
};

/** A permission decision per permission name (and resource ref); default allow. */
export type Decide = (
  permission: Permission,
  resourceRef?: string,
) => AuthorizeResult;

/**
 * Whether a call reads or writes the cluster's objects. The claim API lookup (discovery and the
 * XRD list the service reads behind its cache) does not: a conditional decision needs it to tell
 * which kinds are claims.
 */
function touchesObjects(call: KubeCall): boolean {
  return (
    call.method !== 'resourceTypes' &&
    call.kind !== 'CompositeResourceDefinition'
  );
}

export async function createTestSetup(
  options: {
    decide?: Decide;
    /** The decision authorizeConditional returns (with conditions); default from `decide`. */
    decideConditional?: (permission: Permission) => PolicyDecision;
  } = {},
) {
  const argoRequest = jest.fn(async () => ({
    metadata: { name: 'claims-team-a' },
    operation: { sync: {} },
  }));
  const argocd: ArgoCdInstance[] = [
    {
      name: 'main',
      appCluster: 'app-1',
      namespace: 'argocd',
      url: 'https://argocd.example.com',
      request: argoRequest as ArgoCdInstance['request'],
    },
    { name: 'readonly', appCluster: 'app-1', namespace: 'argocd' },
  ];
  const controlPlane = (name: string) => ({
    name,
    space: 'local',
    group: 'platform',
    server: mcpServer(name),
    caData: 'CA-DATA-PEM',
    resourceTypes: types,
  });
  const upbound = createFakeUpboundService({
    controlPlanes: [
      {
        ...controlPlane('ctp-a'),
        objects: [
          ...claimApis.map(xrdOf),
          ...v1Tree(),
          ...v2Tree(),
          ...events(),
        ],
      },
      controlPlane('ctp-down'),
    ],
    appClusters: [
      {
        name: 'app-1',
        title: 'App cluster 1',
        clusterId: '00000000-0000-0000-0000-000000000001',
        source: 'upbound',
        server: 'https://127.0.0.1:16450',
        objects: appClusterObjects(),
      },
    ],
    argocd,
    flux: [{ name: 'main', appCluster: 'app-1', namespace: 'flux-system' }],
  });
  const cpClient = upbound.client(cpId);
  const brokenClient = upbound.client(brokenId);
  brokenClient.failWhen(
    () =>
      new KubeError({
        type: 'unreachable',
        cluster: brokenId,
        message: `${brokenId}: connect ECONNREFUSED 127.0.0.1:18444`,
      }),
  );
  const appClient = upbound.client('app-cluster/app-1');

  const decide: Decide = options.decide ?? (() => AuthorizeResult.ALLOW);
  const permissions = mockServices.permissions.mock({
    authorize: async (requests: any[]) =>
      requests.map(r => ({
        result: decide(r.permission, r.resourceRef),
      })) as any,
    authorizeConditional: async (requests: any[]) =>
      requests.map(r =>
        options.decideConditional
          ? options.decideConditional(r.permission)
          : { result: decide(r.permission) },
      ) as any,
  });
  const auditor = mockServices.auditor.mock();
  const auditEvent = {
    success: jest.fn(async () => {}),
    fail: jest.fn(async () => {}),
  };
  auditor.createEvent.mockResolvedValue(auditEvent);

  const { server } = await startTestBackend({
    features: [
      upboundPlugin,
      mockServices.rootConfig.factory({
        data: {
          upbound: {
            token: SECRET_TOKEN,
            argocd: [{ name: 'main', token: ARGO_TOKEN }],
            backend: { cache: { graphTtlMs: 0, countsTtlMs: 0 } },
          },
        },
      }),
      catalogServiceMock.factory({
        entities: [
          claimEntity,
          plainEntity,
          forgedEntity,
          backReferencedEntity,
        ],
      }),
      permissions.factory,
      auditor.factory,
      createServiceFactory({
        service: upboundServiceRef,
        deps: {},
        factory: () => upbound,
      }),
    ],
  });
  const allClients = [cpClient, brokenClient, appClient];
  return {
    server,
    cpClient,
    brokenClient,
    appClient,
    argoRequest,
    auditor,
    auditEvent,
    permissions,
    clusterCalls: () =>
      allClients.reduce((n, c) => n + c.calls.filter(touchesObjects).length, 0),
  };
}
