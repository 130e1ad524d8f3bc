import { createFakeUpboundService } from '@upbound-backstage/plugin-upbound-node/testUtils';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { fixtures } from '../__fixtures__';
import {
  CTP_A,
  CTP_B,
  annotation,
  byName,
  claim,
  config,
  fakeUpbound,
  flush,
  postgresType,
  setup,
} from '../__testUtils__/providerHarness';
import { UpboundEntityProvider } from './UpboundEntityProvider';

describe('UpboundEntityProvider', () => {
  it('schedules the full sync with scope global and emits every entity in one full mutation', async () => {
    const t = await setup();
    expect(t.provider.getProviderName()).toBe('upbound-provider:default');
    expect(t.scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'upbound-provider:default:refresh',
        scope: 'global',
        frequency: { minutes: 5 },
        timeout: { minutes: 3 },
      }),
    );
    await t.fullSync();
    const m = t.mutations[0];
    expect(m.type).toBe('full');
    if (m.type !== 'full') return;
    expect(
      m.entities.every(d => d.locationKey === 'upbound-provider:default'),
    ).toBe(true);
    const entities = m.entities.map(d => d.entity);
    const summary = entities
      .map(e => `${e.kind}:${e.spec?.type}:${e.metadata.title}`)
      .sort();
    expect(summary).toEqual([
      'API:openapi:Bucket (storage.example.org)',
      'API:openapi:PostgreSQLInstance (platform.example.org)',
      'Resource:crossplane-claim:team-a/orders-db (ctp-a)',
      'Resource:crossplane-claim:team-b/billing-db (ctp-b)',
      // A connector XR is titled by its app cluster names.
      'Resource:crossplane-composite:web/assets (app-1)',
      'Resource:kubernetes-cluster:app-1',
      'Resource:upbound-control-plane:ctp-a',
      'Resource:upbound-control-plane:ctp-b',
    ]);
    const ctpA = byName(entities, 'ctp-a')!;
    expect(byName(entities, 'app-1')!.spec?.dependsOn).toEqual([
      `resource:default/${ctpA.metadata.name}`,
    ]);
    expect((ctpA.spec?.dependencyOf as string[]).length).toBe(2);
    expect(byName(entities, 'ctp-b')!.spec?.dependencyOf).toHaveLength(1);
    expect(t.logger.info).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Read 2 of 2 control planes in \d+ ms; emitted 8 entities$/,
      ),
    );
    expect(t.provider.watchCount).toBe(3);
    await t.provider.stop();
  });

  it('emits delta mutations from watches, skipping changes that do not change the entity', async () => {
    const t = await setup();
    await t.fullSync();
    const client = t.upbound.client(CTP_A);

    client.upsert(claim('new-db'));
    await flush();
    expect(t.deltas()).toHaveLength(1);
    expect(t.deltas()[0].added.map(d => d.entity.metadata.title)).toEqual([
      'team-a/new-db (ctp-a)',
    ]);
    expect(t.deltas()[0].removed).toEqual([]);

    // A resourceVersion bump with the same conditions: no delta.
    client.upsert({
      ...claim('new-db'),
      spec: { parameters: { storageGB: 30 } },
    });
    await flush();
    expect(t.deltas()).toHaveLength(1);

    client.upsert(claim('new-db', 'team-a', 'False'));
    await flush();
    expect(t.deltas()).toHaveLength(2);
    const changed = t.deltas()[1].added[0];
    expect(annotation(changed.entity, 'upbound.io/ready')).toBe('False');
    expect(changed.locationKey).toBe('upbound-provider:default');

    client.remove(postgresType, 'new-db', 'team-a');
    await flush();
    expect(t.deltas()[2]).toEqual({
      type: 'delta',
      added: [],
      removed: [
        {
          entityRef: `resource:default/${changed.entity.metadata.name}`,
          locationKey: 'upbound-provider:default',
        },
      ],
    });

    // The next full sync includes what the watches saw: no flapping.
    client.upsert(claim('late-db'));
    await t.fullSync();
    expect(byName(t.lastFull(), 'team-a/late-db (ctp-a)')).toBeDefined();
    expect(byName(t.lastFull(), 'team-a/new-db (ctp-a)')).toBeUndefined();
    await t.provider.stop();
  });

  it('after a relist (410 Gone) emits only the differences', async () => {
    const upbound = fakeUpbound();
    const client = upbound.client(CTP_B);
    const watch = jest.spyOn(client, 'watch');
    const t = await setup({ upbound });
    await t.fullSync();
    const handlers = watch.mock.calls[0][2];
    handlers.onSync!([claim('billing-db', 'team-b')]);
    await flush();
    expect(t.deltas()).toHaveLength(0);

    handlers.onSync!([
      claim('billing-db', 'team-b', 'False'),
      claim('other-db', 'team-b'),
    ]);
    await flush();
    expect(
      t
        .deltas()[0]
        .added.map(d => d.entity.metadata.title)
        .sort(),
    ).toEqual(['team-b/billing-db (ctp-b)', 'team-b/other-db (ctp-b)']);
    expect(t.deltas()[0].removed).toEqual([]);

    handlers.onSync!([claim('other-db', 'team-b')]);
    await flush();
    expect(t.deltas()[1].added).toEqual([]);
    expect(t.deltas()[1].removed).toHaveLength(1);
    await t.provider.stop();
  });

  it('keeps the last good entities of a failing control plane, marked stale, while others update', async () => {
    const t = await setup();
    await t.fullSync();
    t.upbound.client(CTP_B).setUnreachable(true);
    t.upbound.client(CTP_A).upsert(claim('fresh-db'));
    await t.fullSync();

    const entities = t.lastFull();
    const billing = byName(entities, 'team-b/billing-db (ctp-b)');
    expect(billing).toBeDefined();
    const since = annotation(billing, 'upbound.io/stale');
    expect(since).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(annotation(billing, 'upbound.io/stale-reason')).toMatch(
      /^unreachable: /,
    );
    expect(annotation(byName(entities, 'ctp-b'), 'upbound.io/stale')).toBe(
      since,
    );
    expect(byName(entities, 'team-a/fresh-db (ctp-a)')).toBeDefined();
    expect(
      annotation(
        byName(entities, 'team-a/orders-db (ctp-a)'),
        'upbound.io/stale',
      ),
    ).toBeUndefined();
    // The shared API is served fresh by ctp-a.
    expect(
      annotation(
        byName(entities, 'PostgreSQLInstance (platform.example.org)'),
        'upbound.io/stale',
      ),
    ).toBeUndefined();
    expect(t.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(`Control plane ${CTP_B} could not be read`),
    );
    expect(t.catalog.getEntities).not.toHaveBeenCalled();

    // The mark stays the same while the outage lasts (no churn).
    await t.fullSync();
    expect(
      annotation(
        byName(t.lastFull(), 'team-b/billing-db (ctp-b)'),
        'upbound.io/stale',
      ),
    ).toBe(since);

    // Recovery: fresh entities again, and deletions are now applied.
    t.upbound.client(CTP_B).setUnreachable(false);
    t.upbound.client(CTP_B).remove(postgresType, 'billing-db', 'team-b');
    await t.fullSync();
    expect(byName(t.lastFull(), 'team-b/billing-db (ctp-b)')).toBeUndefined();
    expect(
      annotation(byName(t.lastFull(), 'ctp-b'), 'upbound.io/stale'),
    ).toBeUndefined();
    await t.provider.stop();
  });

  it('does not call a control plane its Space reports as not ready, and keeps its entities stale', async () => {
    const upbound = createFakeUpboundService({
      controlPlanes: [
        {
          name: 'ctp-a',
          space: 'local',
          group: 'platform',
          objects: [fixtures.xrdV1, claim('orders-db')],
        },
        {
          name: 'ctp-c',
          space: 'local',
          group: 'platform',
          ready: {
            state: 'False',
            reason: 'Provisioning',
            message: 'control plane is starting',
          },
          objects: [fixtures.xrdV1, claim('never-read')],
        },
      ],
    });
    const t = await setup({ upbound });
    const callsBefore = upbound
      .client('space/local/platform/ctp-c')
      .stats().total;
    await t.fullSync();
    expect(upbound.client('space/local/platform/ctp-c').stats().total).toBe(
      callsBefore,
    );
    const ctpC = byName(t.lastFull(), 'ctp-c');
    expect(annotation(ctpC, 'upbound.io/stale-reason')).toMatch(
      /not ready in its Space \(Provisioning: control plane is starting\)/,
    );
    expect(byName(t.lastFull(), 'team-a/orders-db (ctp-a)')).toBeDefined();
    await t.provider.stop();
  });

  it('asks for a full sync as soon as a watch of a stale control plane lists again', async () => {
    const upbound = fakeUpbound();
    const watch = jest.spyOn(upbound.client(CTP_B), 'watch');
    const t = await setup({ upbound });
    await t.fullSync();
    upbound.client(CTP_B).setUnreachable(true);
    await t.fullSync();
    expect(t.scheduler.triggerTask).not.toHaveBeenCalled();
    upbound.client(CTP_B).setUnreachable(false);
    const handlers = watch.mock.calls[0][2];
    handlers.onSync!([claim('billing-db', 'team-b')]);
    handlers.onSync!([claim('billing-db', 'team-b')]);
    await flush();
    expect(t.scheduler.triggerTask).toHaveBeenCalledTimes(1);
    expect(t.scheduler.triggerTask).toHaveBeenCalledWith(
      'upbound-provider:default:refresh',
    );
    await t.provider.stop();
  });

  it('treats a control plane that exceeds its timeout as failed without delaying the others', async () => {
    const upbound = fakeUpbound();
    const claimApis = upbound.claimApis.bind(upbound);
    upbound.claimApis = async (id, o) =>
      id === CTP_B ? new Promise(() => {}) : claimApis(id, o);
    const t = await setup({ upbound, config: { controlPlaneTimeoutMs: 50 } });
    const started = Date.now();
    await t.fullSync();
    expect(Date.now() - started).toBeLessThan(2_000);
    const entities = t.lastFull();
    expect(byName(entities, 'team-a/orders-db (ctp-a)')).toBeDefined();
    expect(
      annotation(byName(entities, 'ctp-b'), 'upbound.io/stale-reason'),
    ).toMatch(/^timeout: /);
    await t.provider.stop();
  });

  it('on the first sync after a restart, keeps a failing control plane entities from the catalog', async () => {
    // A previous process emitted everything.
    const before = await setup();
    await before.fullSync();
    const previous = before.lastFull();
    await before.provider.stop();

    const upbound = fakeUpbound();
    upbound.client(CTP_B).setUnreachable(true);
    const t = await setup({
      upbound,
      catalogEntities: previous.map(e => ({
        ...e,
        metadata: { ...e.metadata, uid: 'x', etag: 'y' },
        relations: [],
      })),
    });
    await t.fullSync();
    expect(t.catalog.getEntities).toHaveBeenCalledWith(
      {
        filter: {
          'metadata.annotations.backstage.io/managed-by-origin-location':
            'upbound:upbound-provider:default',
        },
      },
      expect.anything(),
    );
    const entities = t.lastFull();
    const billing = byName(entities, 'team-b/billing-db (ctp-b)')!;
    expect(billing.metadata.uid).toBeUndefined();
    expect(annotation(billing, 'upbound.io/stale')).toBeDefined();
    expect(byName(entities, 'ctp-b')!.spec?.dependencyOf).toHaveLength(1);
    expect(entities).toHaveLength(previous.length);
    await t.provider.stop();
  });

  it('applies no full mutation when a control plane fails and the catalog cannot be read', async () => {
    const upbound = fakeUpbound();
    upbound.client(CTP_B).setUnreachable(true);
    const t = await setup({
      upbound,
      catalogEntities: new Error('catalog not ready'),
    });
    await t.fullSync();
    expect(t.connection.applyMutation).not.toHaveBeenCalled();
    expect(t.logger.error).toHaveBeenCalledWith(
      expect.stringContaining('catalog not ready'),
    );
    await t.provider.stop();
  });

  it('keeps control planes that discovery lost while it reports errors, and drops them after a clean discovery', async () => {
    const t = await setup();
    await t.fullSync();
    t.upbound.removeControlPlane(CTP_B);
    t.upbound.setErrors([
      { cluster: 'hub/local', type: 'unreachable', message: 'hub down' },
    ]);
    await t.fullSync();
    expect(
      annotation(
        byName(t.lastFull(), 'team-b/billing-db (ctp-b)'),
        'upbound.io/stale-reason',
      ),
    ).toBe('discovery failed: hub/local: hub down');
    t.upbound.setErrors([]);
    await t.fullSync();
    expect(byName(t.lastFull(), 'team-b/billing-db (ctp-b)')).toBeUndefined();
    expect(byName(t.lastFull(), 'ctp-b')).toBeUndefined();
    await t.provider.stop();
  });

  it('watches control planes added to the inventory and stops all watches on stop', async () => {
    const t = await setup();
    await t.fullSync();
    expect(t.provider.watchCount).toBe(3);
    t.upbound.addControlPlane({
      name: 'ctp-c',
      space: 'local',
      group: 'platform',
      objects: [fixtures.xrdV1],
    });
    await flush();
    await flush();
    expect(t.provider.watchCount).toBe(4);
    t.upbound.client('space/local/platform/ctp-c').upsert(claim('c-db'));
    await flush();
    expect(t.deltas().at(-1)!.added[0].entity.metadata.title).toBe(
      'team-a/c-db (ctp-c)',
    );

    await t.provider.stop();
    expect(t.provider.watchCount).toBe(0);
    const count = t.mutations.length;
    t.upbound.client(CTP_A).upsert(claim('after-stop'));
    await flush();
    expect(t.mutations).toHaveLength(count);
  });

  it('emits templates when enabled, and only the entity kinds that are enabled', async () => {
    const t = await setup({
      config: {
        watch: false,
        templates: { enabled: true, namespace: 'default' },
        entities: {
          controlPlanes: false,
          claimApis: true,
          claims: false,
          appClusters: false,
        },
      },
    });
    await t.fullSync();
    const kinds = t
      .lastFull()
      .map(e => `${e.kind}:${e.metadata.title}`)
      .sort();
    expect(kinds).toEqual([
      'API:Bucket (storage.example.org)',
      'API:PostgreSQLInstance (platform.example.org)',
      'Template:Create a Bucket',
      'Template:Create a PostgreSQLInstance',
    ]);
    const template = t
      .lastFull()
      .find(e => e.metadata.title === 'Create a PostgreSQLInstance')!;
    expect(
      (template.spec!.parameters as any[])[0].properties.controlPlane.enum,
    ).toEqual([CTP_A, CTP_B]);
    expect(t.provider.watchCount).toBe(0);
  });

  it('returns no provider when disabled', () => {
    expect(
      UpboundEntityProvider.fromConfig(config({ enabled: false }), {
        logger: mockServices.logger.mock(),
        scheduler: mockServices.scheduler.mock(),
        upbound: fakeUpbound(),
        catalog: catalogServiceMock(),
        auth: mockServices.auth(),
      }),
    ).toEqual([]);
  });
});
