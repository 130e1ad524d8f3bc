/*
 * Integration tests against the local Space (packages/local-space): real kube-apiservers behind the
 * Spaces ingress, the real access layer and discovery. The suite starts a Space of its own (so
 * stopping a control plane never disturbs other suites) whenever the local Space is available, and
 * is skipped with the reason otherwise.
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
  claimApiResourceTypes,
  upboundServiceFactory,
  upboundServiceRef,
  type KubeObject,
  type UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { catalogModuleUpbound } from './module';
import type { UpboundEntityProvider } from './providers/UpboundEntityProvider';

jest.setTimeout(120_000);

function portFree(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function freeBasePort(start: number): Promise<number> {
  for (let base = start; base < start + 2000; base += 100) {
    const free = await Promise.all(
      Array.from({ length: 20 }, (_, i) => portFree(base + i)),
    );
    if (free.every(Boolean)) return base;
  }
  throw new Error(`no free range of 20 ports from ${start}`);
}

async function eventually<T>(
  fn: () => T | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise(r => setTimeout(r, 100));
  }
}

describeIfLocalSpace('catalog module against the local Space', () => {
  let space: LocalSpace | undefined;
  let stateDir: string;
  let stopBackend: (() => Promise<void>) | undefined;
  let provider: UpboundEntityProvider;
  let upbound: UpboundService;
  let fullSync: () => Promise<void>;
  const mutations: EntityProviderMutation[] = [];
  const created: Array<{ cpId: string; obj: KubeObject }> = [];

  const lastFull = (): Entity[] => {
    const m = [...mutations].reverse().find(x => x.type === 'full');
    if (m?.type !== 'full') throw new Error('no full mutation yet');
    return m.entities.map(d => d.entity);
  };
  const deltaAdded = (): Entity[] =>
    mutations.flatMap(m =>
      m.type === 'delta' ? m.added.map(d => d.entity) : [],
    );
  const ofControlPlane = (entities: Entity[], cpId: string) =>
    entities.filter(
      e => e.metadata.annotations?.['upbound.io/control-plane-id'] === cpId,
    );

  beforeAll(async () => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'upbound-catalog-space-'));
    space = await startLocalSpace({
      stateDir,
      basePort: await freeBasePort(27440),
      gitops: false,
    });
    const config = parse(fs.readFileSync(space.state.appConfigPath, 'utf8'));
    config.catalog = {
      providers: {
        upbound: { controlPlaneTimeout: '10s', templates: { enabled: true } },
      },
    };
    const scheduler = mockServices.scheduler.mock();
    let providers: UpboundEntityProvider[] = [];
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
    provider = providers[0];
    await provider.connect({
      applyMutation: async m => {
        mutations.push(m);
      },
      refresh: async () => {},
    });
    fullSync = scheduler.scheduleTask.mock.calls[0][0]
      .fn as () => Promise<void>;
  });

  afterAll(async () => {
    for (const { cpId, obj } of created) {
      try {
        const cp = await upbound.controlPlane(cpId);
        const type = await cp.client.resolve(obj.apiVersion!, obj.kind!);
        await cp.client.delete(
          type,
          obj.metadata!.name!,
          obj.metadata!.namespace,
        );
      } catch {
        // the Space is stopped next anyway
      }
    }
    await stopBackend?.();
    await space?.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('turns every seeded control plane, claim API and claim into entities', async () => {
    await fullSync();
    const entities = lastFull();
    const { controlPlanes } = await upbound.inventory();
    expect(controlPlanes.length).toBeGreaterThanOrEqual(2);
    let claimCount = 0;
    for (const cp of controlPlanes) {
      const apis = await upbound.claimApis(cp.id).catch(() => []); // not-ready has no API server
      for (const api of apis) {
        const types = claimApiResourceTypes(api);
        const type =
          types.claim ??
          (types.composite.namespaced ? types.composite : undefined);
        if (type) claimCount += (await cp.client.list(type)).items.length;
      }
    }
    const claims = entities.filter(
      e =>
        e.kind === 'Resource' &&
        ['crossplane-claim', 'crossplane-composite'].includes(
          e.spec?.type as string,
        ),
    );
    expect(claimCount).toBeGreaterThan(0);
    expect(claims).toHaveLength(claimCount);
    expect(
      entities.filter(e => e.spec?.type === 'upbound-control-plane'),
    ).toHaveLength(controlPlanes.length);
    expect(entities.some(e => e.kind === 'API')).toBe(true);
    expect(entities.some(e => e.kind === 'Template')).toBe(true);
    const connector = claims.find(
      e => e.metadata.annotations?.['upbound.io/app-cluster'] === 'app-1',
    );
    expect(connector).toBeDefined();
    const appCluster = entities.find(
      e => e.spec?.type === 'kubernetes-cluster',
    )!;
    expect(appCluster.spec?.dependsOn).toHaveLength(1);
    expect(provider.watchCount).toBeGreaterThan(0);
    expect(JSON.stringify(entities)).not.toMatch(
      /bearer|BEGIN CERTIFICATE|kubeconfig/i,
    );
  });

  async function createClaim(cpId: string, name: string): Promise<string> {
    const cp = await upbound.controlPlane(cpId);
    // PostgreSQLInstance: its default composition becomes Ready a few seconds after Crossplane composes it.
    const api = (await upbound.claimApis(cpId)).find(
      a => a.claimKind === 'PostgreSQLInstance',
    )!;
    const type = claimApiResourceTypes(api).claim!;
    const existing = (await cp.client.list(type)).items[0];
    const obj: KubeObject = {
      apiVersion: type.apiVersion,
      kind: type.kind,
      metadata: { name, namespace: existing?.metadata?.namespace ?? 'default' },
      spec: existing?.spec?.parameters
        ? { parameters: existing.spec.parameters }
        : {},
    };
    await cp.client.apply(obj, {
      fieldManager: 'catalog-module-test',
      force: true,
    });
    created.push({ cpId, obj });
    return `${obj.metadata!.namespace}/${name} (${cp.name})`;
  }

  it('shows a new claim through the watch, Creating then Ready as Crossplane composes it, without a full sync', async () => {
    const { controlPlanes } = await upbound.inventory();
    const cp = controlPlanes.find(c => c.name === 'dev') ?? controlPlanes[0];
    const before = mutations.length;
    const title = await createClaim(cp.id, 'catalog-watch-test');
    const seen = () =>
      deltaAdded().filter(e => e.metadata.title === title);
    const first = await eventually(() => seen()[0]);
    expect(first.metadata.annotations?.['upbound.io/control-plane-id']).toBe(
      cp.id,
    );
    expect(first.metadata.annotations?.['upbound.io/ready']).not.toBe('True');
    const ready = await eventually(
      () =>
        seen().find(e => e.metadata.annotations?.['upbound.io/ready'] === 'True'),
      60_000,
    );
    expect(ready.metadata.annotations?.['upbound.io/synced']).toBe('True');
    expect(ready.metadata.annotations?.['upbound.io/status-reason']).toBeUndefined();
    expect(mutations.slice(before).every(m => m.type === 'delta')).toBe(true);
  });

  it('keeps a stopped control plane entities, marked stale, while others keep updating; recovers', async () => {
    const { controlPlanes } = await upbound.inventory();
    const running = [];
    for (const cp of controlPlanes) {
      if (
        await upbound.claimApis(cp.id).then(
          () => true,
          () => false,
        )
      )
        running.push(cp);
    }
    const [stopped, other] = [running[running.length - 1], running[0]];
    expect(stopped.id).not.toBe(other.id);
    await fullSync();
    const before = ofControlPlane(lastFull(), stopped.id);
    expect(before.length).toBeGreaterThan(1);

    await space!.stopMcp(stopped.name);
    try {
      await fullSync();
      const during = ofControlPlane(lastFull(), stopped.id);
      expect(during.map(e => e.metadata.name).sort()).toEqual(
        before.map(e => e.metadata.name).sort(),
      );
      for (const e of during) {
        expect(e.metadata.annotations?.['upbound.io/stale']).toBeDefined();
        expect(
          e.metadata.annotations?.['upbound.io/stale-reason'],
        ).toBeDefined();
      }
      const title = await createClaim(other.id, 'catalog-isolation-test');
      await eventually(() =>
        deltaAdded().find(e => e.metadata.title === title),
      );
      await fullSync();
      expect(lastFull().find(e => e.metadata.title === title)).toBeDefined();
    } finally {
      await space!.startMcp(stopped.name);
    }
    let recovered: Entity[] = [];
    for (let i = 0; i < 20; i++) {
      await fullSync();
      recovered = ofControlPlane(lastFull(), stopped.id);
      if (recovered.every(e => !e.metadata.annotations?.['upbound.io/stale']))
        break;
      await new Promise(r => setTimeout(r, 500));
    }
    expect(
      recovered.every(e => !e.metadata.annotations?.['upbound.io/stale']),
    ).toBe(true);
    expect(recovered.length).toBe(before.length);
  });
});
