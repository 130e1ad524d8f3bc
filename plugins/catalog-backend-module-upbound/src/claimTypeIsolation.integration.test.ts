/*
 * Per-claim-type isolation against the local Space: real kube-apiservers, real RBAC with a
 * ServiceAccount token on a direct control plane, an XRD whose CRD is missing, and an aggregated
 * API that never answers a LIST. One failing type never blocks or stales the others. The suite
 * starts a Space of its own, since it adds XRDs and APIServices that other suites would see.
 */
import {
  createBackendModule,
  type BackendFeature,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import {
  catalogProcessingExtensionPoint,
  type EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  describeIfLocalSpace,
  startLocalSpace,
  type LocalSpace,
} from '@internal/local-space';
import {
  ANNOTATION_CLAIM_TYPE_ERRORS,
  parseClaimTypeErrors,
} from '@upbound-backstage/plugin-upbound-common';
import {
  upboundServiceFactory,
  upboundServiceRef,
  type UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import {
  freeBasePort,
  kube,
  remove,
  startStalledApiServer,
  upsert,
  type KubeTarget,
} from './__testUtils__/kubeAdmin';
import { catalogModuleUpbound } from './module';

jest.setTimeout(180_000);

const READER = 'catalog-reader';
const DIRECT = 'dev-reader';
const TIMEOUT_MS = 10_000;

/** An XRD whose schema no API server accepts as a CRD, so its CRDs never exist (with or without Crossplane). */
function unservableXrd(group: string, kind: string, plural: string) {
  return {
    apiVersion: 'apiextensions.crossplane.io/v1',
    kind: 'CompositeResourceDefinition',
    metadata: { name: `x${plural}.${group}` },
    spec: {
      group,
      names: { kind: `X${kind}`, plural: `x${plural}` },
      claimNames: { kind, plural },
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          referenceable: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: { size: { type: 'not-a-type' } },
                },
              },
            },
          },
        },
      ],
    },
  };
}

function readerRole(claimRules: Array<{ group: string; plural: string }>) {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: READER },
    rules: [
      {
        apiGroups: ['apiextensions.crossplane.io'],
        resources: ['compositeresourcedefinitions'],
        verbs: ['get', 'list', 'watch'],
      },
      ...claimRules.map(r => ({
        apiGroups: [r.group],
        resources: [r.plural],
        verbs: ['get', 'list', 'watch'],
      })),
    ],
  };
}

const POSTGRES = {
  group: 'database.example.org',
  plural: 'postgresqlinstances',
};
const BROKEN = { group: 'broken.example.org', plural: 'brokens' };
const SLOW = { group: 'slow.example.org', plural: 'slows' };

describeIfLocalSpace('claim type isolation against the local Space', () => {
  let space: LocalSpace | undefined;
  let stateDir: string;
  let admin: KubeTarget;
  let stalled: Awaited<ReturnType<typeof startStalledApiServer>> | undefined;
  let stopBackend: (() => Promise<void>) | undefined;
  let upbound: UpboundService;
  let fullSync: () => Promise<void>;
  const mutations: EntityProviderMutation[] = [];

  const lastFull = (): Entity[] => {
    const m = [...mutations].reverse().find(x => x.type === 'full');
    if (m?.type !== 'full') throw new Error('no full mutation yet');
    return m.entities.map(d => d.entity);
  };
  const controlPlaneEntity = (id: string) =>
    lastFull().find(
      e =>
        e.spec?.type === 'upbound-control-plane' &&
        e.metadata.annotations?.['upbound.io/control-plane-id'] === id,
    )!;
  const claimsOf = (id: string, kind: string) =>
    lastFull().filter(
      e =>
        e.metadata.annotations?.['upbound.io/control-plane-id'] === id &&
        e.metadata.annotations?.['upbound.io/kind'] === kind,
    );
  const typeErrors = (id: string) =>
    parseClaimTypeErrors(
      controlPlaneEntity(id).metadata.annotations?.[
        ANNOTATION_CLAIM_TYPE_ERRORS
      ],
    );

  beforeAll(async () => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'upbound-types-space-'));
    // No Crossplane: an XRD's CRDs must stay missing, and nothing composes the seeded claims.
    space = await startLocalSpace({
      stateDir,
      basePort: await freeBasePort(28440),
      crossplane: false,
    });
    const dev = space.controlPlane('platform/dev');
    admin = {
      url: dev.url!,
      token: space.tokens.controlPlanes['platform/dev'].admin,
      ca: space.ca,
    };

    // A ServiceAccount allowed to read XRDs and some claim types only.
    await upsert(admin, '/api/v1/namespaces/default/serviceaccounts', {
      metadata: { name: READER },
    });
    await upsert(
      admin,
      '/apis/rbac.authorization.k8s.io/v1/clusterroles',
      readerRole([POSTGRES, BROKEN, SLOW]),
    );
    await upsert(
      admin,
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
      {
        metadata: { name: READER },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: READER,
        },
        subjects: [
          { kind: 'ServiceAccount', name: READER, namespace: 'default' },
        ],
      } as any,
    );
    const tokenRequest = await kube(
      admin,
      'POST',
      `/api/v1/namespaces/default/serviceaccounts/${READER}/token`,
      {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: 3600 },
      },
    );

    // An XRD whose CRD is missing.
    await upsert(
      admin,
      '/apis/apiextensions.crossplane.io/v1/compositeresourcedefinitions',
      unservableXrd(BROKEN.group, 'Broken', BROKEN.plural),
    );
    // A claim type served by an aggregated API that never answers a LIST.
    const pki = path.join(space.state.stateDir, 'pki');
    stalled = await startStalledApiServer({
      group: SLOW.group,
      version: 'v1alpha1',
      plural: SLOW.plural,
      kind: 'Slow',
      certFile: path.join(pki, 'serving.crt'),
      keyFile: path.join(pki, 'serving.key'),
    });
    await upsert(admin, '/api/v1/namespaces/default/services', {
      metadata: { name: 'slow-api' },
      spec: {
        type: 'ExternalName',
        externalName: 'localhost',
        ports: [{ port: stalled.port }],
      },
    } as any);
    await upsert(admin, '/apis/apiregistration.k8s.io/v1/apiservices', {
      metadata: { name: `v1alpha1.${SLOW.group}` },
      spec: {
        group: SLOW.group,
        version: 'v1alpha1',
        groupPriorityMinimum: 1000,
        versionPriority: 15,
        insecureSkipTLSVerify: true,
        service: { namespace: 'default', name: 'slow-api', port: stalled.port },
      },
    } as any);
    for (let i = 0; ; i++) {
      const svc = await kube(
        admin,
        'GET',
        `/apis/apiregistration.k8s.io/v1/apiservices/v1alpha1.${SLOW.group}`,
      );
      const available = svc.status?.conditions?.find(
        (c: any) => c.type === 'Available',
      );
      if (available?.status === 'True') break;
      if (i > 60)
        throw new Error(
          `APIService not available: ${JSON.stringify(available)}`,
        );
      await new Promise(r => setTimeout(r, 500));
    }
    await upsert(
      admin,
      '/apis/apiextensions.crossplane.io/v1/compositeresourcedefinitions',
      unservableXrd(SLOW.group, 'Slow', SLOW.plural),
    );

    const config = parse(fs.readFileSync(space.state.appConfigPath, 'utf8'));
    config.upbound.controlPlanes = [
      {
        name: DIRECT,
        url: dev.url,
        token: tokenRequest.status.token,
        caFile: space.state.caFile,
      },
    ];
    config.catalog = {
      providers: {
        upbound: { controlPlaneTimeout: `${TIMEOUT_MS / 1000}s`, watch: false },
      },
    };
    const scheduler = mockServices.scheduler.mock();
    let providers: any[] = [];
    const capture: BackendFeature = createBackendModule({
      pluginId: 'catalog',
      moduleId: 'upbound-capture',
      register(env) {
        env.registerInit({
          deps: { upbound: upboundServiceRef },
          async init(deps) {
            upbound = deps.upbound;
          },
        });
      },
    });
    const backend = await startTestBackend({
      extensionPoints: [
        [
          catalogProcessingExtensionPoint,
          {
            addEntityProvider: (p: any) => (providers = p),
            addProcessor: () => {},
          },
        ],
      ],
      features: [
        catalogModuleUpbound,
        capture,
        upboundServiceFactory,
        scheduler.factory,
        mockServices.rootConfig.factory({ data: config }),
        catalogServiceMock.factory({ entities: [] }),
      ],
    });
    stopBackend = () => backend.stop();
    await providers[0].connect({
      applyMutation: async (m: EntityProviderMutation) => {
        mutations.push(m);
      },
      refresh: async () => {},
    });
    fullSync = scheduler.scheduleTask.mock.calls[0][0]
      .fn as () => Promise<void>;
  });

  afterAll(async () => {
    await stopBackend?.();
    await stalled?.stop();
    await space?.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('reads every readable type on a fresh start; each failing type gives its own error', async () => {
    // The claims that exist when the sync starts (suites running beside this one may add more later).
    const postgresBefore = (
      await kube(admin, 'GET', `/apis/${POSTGRES.group}/v1alpha1/${POSTGRES.plural}`)
    ).items.map((o: any) => `${o.metadata.namespace}/${o.metadata.name}`);
    const started = Date.now();
    await fullSync();
    // The stalled type waits for the timeout; nothing waits for it twice.
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 10_000);

    const { controlPlanes } = await upbound.inventory();
    const direct = controlPlanes.find(c => c.name === DIRECT)!;
    const dev = controlPlanes.find(
      c => c.group === 'platform' && c.name === 'dev',
    )!;
    const prod = controlPlanes.find(
      c => c.group === 'team-a' && c.name === 'prod',
    )!;

    // Direct control plane with the ServiceAccount token: 403 on the types it may not list.
    const directErrors = typeErrors(direct.id);
    const byKind = new Map(directErrors.map(e => [e.kind, e]));
    expect(byKind.get('Bucket')).toMatchObject({
      group: 'storage.example.org',
      type: 'forbidden',
      statusCode: 403,
      message: expect.stringContaining('forbidden'),
    });
    expect(byKind.get('Broken')).toMatchObject({
      type: expect.stringMatching(/^(not-found|crd-missing)$/),
      message: expect.stringMatching(
        /^the API server does not serve brokens\.broken\.example\.org\/v1alpha1: the XRD xbrokens\.broken\.example\.org (is not Established|has no served CRD for it)/,
      ),
    });
    expect(byKind.get('Slow')).toMatchObject({
      type: 'timeout',
      message: expect.stringContaining(`took longer than ${TIMEOUT_MS} ms`),
    });
    expect(byKind.has('PostgreSQLInstance')).toBe(false);
    expect(
      annotationOf(controlPlaneEntity(direct.id), 'upbound.io/stale'),
    ).toBeUndefined();
    // The readable type is all there, current.
    const directClaims = claimsOf(direct.id, 'PostgreSQLInstance');
    expect(
      directClaims
        .map(
          e =>
            `${annotationOf(e, 'upbound.io/namespace')}/${annotationOf(
              e,
              'upbound.io/name',
            )}`,
        )
        .sort(),
    ).toEqual(expect.arrayContaining(postgresBefore));
    expect(directClaims.length).toBeGreaterThanOrEqual(postgresBefore.length);
    expect(directClaims.length).toBeGreaterThan(0);
    expect(directClaims.every(e => !annotationOf(e, 'upbound.io/stale'))).toBe(
      true,
    );

    // The same API server through the Space: its admin token lists Buckets.
    expect(
      typeErrors(dev.id)
        .map(e => e.kind)
        .sort(),
    ).toEqual(['Broken', 'Slow']);
    expect(claimsOf(dev.id, 'Bucket').length).toBeGreaterThan(0);
    // Another control plane is not touched.
    expect(typeErrors(prod.id)).toEqual([]);
    expect(JSON.stringify(lastFull())).not.toMatch(/bearer|BEGIN CERTIFICATE/i);
  });

  it("keeps a type's last good entities, marked stale, when it starts failing, and clears them when it recovers", async () => {
    const { controlPlanes } = await upbound.inventory();
    const direct = controlPlanes.find(c => c.name === DIRECT)!;
    await fullSync();
    const before = claimsOf(direct.id, 'PostgreSQLInstance');
    expect(before.length).toBeGreaterThan(0);

    // The ServiceAccount loses its grant on PostgreSQLInstance claims.
    await upsert(
      admin,
      '/apis/rbac.authorization.k8s.io/v1/clusterroles',
      readerRole([BROKEN, SLOW]),
    );
    try {
      let during: Entity[] = [];
      for (let i = 0; i < 20; i++) {
        await fullSync();
        during = claimsOf(direct.id, 'PostgreSQLInstance');
        if (during.some(e => annotationOf(e, 'upbound.io/stale'))) break;
        await new Promise(r => setTimeout(r, 250)); // RBAC caches
      }
      expect(during.map(e => e.metadata.name).sort()).toEqual(
        before.map(e => e.metadata.name).sort(),
      );
      for (const e of during) {
        expect(annotationOf(e, 'upbound.io/stale-reason')).toMatch(
          /^PostgreSQLInstance \(database\.example\.org\) could not be listed: forbidden \(403\)/,
        );
      }
      expect(
        typeErrors(direct.id).find(e => e.kind === 'PostgreSQLInstance'),
      ).toMatchObject({ type: 'forbidden', statusCode: 403 });
      // The same type through the Space, and the control plane entity, are current.
      expect(
        annotationOf(controlPlaneEntity(direct.id), 'upbound.io/stale'),
      ).toBeUndefined();
      const dev = controlPlanes.find(
        c => c.group === 'platform' && c.name === 'dev',
      )!;
      expect(
        claimsOf(dev.id, 'PostgreSQLInstance').every(
          e => !annotationOf(e, 'upbound.io/stale'),
        ),
      ).toBe(true);
    } finally {
      await upsert(
        admin,
        '/apis/rbac.authorization.k8s.io/v1/clusterroles',
        readerRole([POSTGRES, BROKEN, SLOW]),
      );
    }
    let after: Entity[] = [];
    for (let i = 0; i < 20; i++) {
      await fullSync();
      after = claimsOf(direct.id, 'PostgreSQLInstance');
      if (after.every(e => !annotationOf(e, 'upbound.io/stale'))) break;
      await new Promise(r => setTimeout(r, 250));
    }
    expect(after.every(e => !annotationOf(e, 'upbound.io/stale'))).toBe(true);
    expect(after.length).toBe(before.length);
    expect(
      typeErrors(direct.id).find(e => e.kind === 'PostgreSQLInstance'),
    ).toBeUndefined();
    await remove(
      admin,
      `/apis/apiregistration.k8s.io/v1/apiservices/v1alpha1.${SLOW.group}`,
    );
  });
});

function annotationOf(e: Entity | undefined, key: string) {
  return e?.metadata.annotations?.[key];
}
