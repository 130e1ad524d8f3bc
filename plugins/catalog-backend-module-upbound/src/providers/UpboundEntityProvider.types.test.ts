import type { Entity } from '@backstage/catalog-model';
/*
 * Per-type isolation: a claim type that cannot be listed fails alone. Its entities are the last
 * good ones, marked stale; the other types of the same control plane stay current.
 */
import { KubeError } from '@upbound-backstage/plugin-upbound-node';
import type { FakeUpboundService } from '@upbound-backstage/plugin-upbound-node/testUtils';
import {
  CTP_A,
  annotation,
  byName,
  claim,
  fakeUpbound,
  flush,
  setup,
} from '../__testUtils__/providerHarness';

const ORDERS = 'orders-db';
const BUCKET = 'claim-c603e518969b413e';

/** A claim or XR entity of ctp-a by its object name (titles may name the app cluster instead). */
const claimOf = (entities: Entity[], name: string) =>
  entities.find(
    e =>
      e.metadata.annotations?.['upbound.io/name'] === name &&
      e.metadata.annotations?.['upbound.io/control-plane-id'] === CTP_A,
  );

/** Makes every LIST of one plural in ctp-a fail (or hang) while `failing` says so. */
function failType(
  upbound: FakeUpboundService,
  plural: string,
  failure: KubeError | 'hang',
) {
  const state = { failing: true };
  upbound
    .client(CTP_A)
    .failWhen(call =>
      state.failing && call.method === 'list' && call.plural === plural
        ? failure
        : undefined,
    );
  return state;
}

const forbidden = new KubeError({
  type: 'forbidden',
  statusCode: 403,
  cluster: CTP_A,
  message:
    'postgresqlinstances.platform.example.org is forbidden: User "system:serviceaccount:x:y" cannot list resource',
});

const claimTypeErrors = (e: any) =>
  JSON.parse(annotation(e, 'upbound.io/claim-type-errors') ?? '[]');

describe('UpboundEntityProvider per claim type', () => {
  it('keeps a forbidden type stale with its own error while the other types and control planes stay current', async () => {
    const upbound = fakeUpbound();
    const t = await setup({ upbound });
    await t.fullSync();

    const fault = failType(upbound, 'postgresqlinstances', forbidden);
    await t.fullSync();
    let entities = t.lastFull();

    const orders = claimOf(entities, ORDERS);
    expect(orders).toBeDefined();
    const since = annotation(orders, 'upbound.io/stale');
    expect(since).toMatch(/^\d{4}-/);
    expect(annotation(orders, 'upbound.io/stale-reason')).toMatch(
      /^PostgreSQLInstance \(platform\.example\.org\) could not be listed: forbidden \(403\): /,
    );
    // The other type of the same control plane, and the control plane itself, are current.
    expect(annotation(claimOf(entities, BUCKET), 'upbound.io/stale')).toBe(
      undefined,
    );
    const ctpA = byName(entities, 'ctp-a');
    expect(annotation(ctpA, 'upbound.io/stale')).toBeUndefined();
    expect(claimTypeErrors(ctpA)).toEqual([
      expect.objectContaining({
        group: 'platform.example.org',
        kind: 'PostgreSQLInstance',
        type: 'forbidden',
        statusCode: 403,
        since,
      }),
    ]);
    expect(
      annotation(
        byName(entities, 'team-b/billing-db (ctp-b)'),
        'upbound.io/stale',
      ),
    ).toBeUndefined();
    expect(t.catalog.getEntities).not.toHaveBeenCalled();

    // Logged once per change, not once per sync; the mark does not churn.
    await t.fullSync();
    entities = t.lastFull();
    expect(annotation(claimOf(entities, ORDERS), 'upbound.io/stale')).toBe(
      since,
    );
    const warnings = t.logger.warn.mock.calls.filter(([m]) =>
      String(m).includes('PostgreSQLInstance (platform.example.org)'),
    );
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0][0])).toMatch(
      /^Claims of PostgreSQLInstance \(platform\.example\.org\) in control plane space\/local\/platform\/ctp-a could not be listed; keeping their last good entities/,
    );
    expect(t.logger.info).toHaveBeenCalledWith(
      expect.stringMatching(/\(1 claim types stale\)$/),
    );

    // Recovery: current again, the error is gone, and it is logged.
    fault.failing = false;
    await t.fullSync();
    entities = t.lastFull();
    expect(
      annotation(claimOf(entities, ORDERS), 'upbound.io/stale'),
    ).toBeUndefined();
    expect(
      annotation(byName(entities, 'ctp-a'), 'upbound.io/claim-type-errors'),
    ).toBeUndefined();
    expect(t.logger.info).toHaveBeenCalledWith(
      `Claims of PostgreSQLInstance (platform.example.org) in control plane ${CTP_A} are listed again`,
    );
    await t.provider.stop();
  });

  it('without a last good read, gives the control plane every readable type and reads the failing one back from the catalog', async () => {
    const before = await setup();
    await before.fullSync();
    const previous = before.lastFull();
    await before.provider.stop();

    const upbound = fakeUpbound();
    failType(upbound, 'postgresqlinstances', forbidden);
    const t = await setup({
      upbound,
      catalogEntities: previous.map(e => ({
        ...e,
        metadata: { ...e.metadata, uid: 'x', etag: 'y' },
      })),
    });
    await t.fullSync();
    const entities = t.lastFull();
    expect(
      annotation(claimOf(entities, BUCKET), 'upbound.io/stale'),
    ).toBeUndefined();
    const orders = claimOf(entities, ORDERS)!;
    expect(orders.metadata.uid).toBeUndefined();
    expect(annotation(orders, 'upbound.io/stale-reason')).toMatch(/forbidden/);
    expect(t.catalog.getEntities).toHaveBeenCalledTimes(1);
    // The seeded type is now the last good state: no catalog read on the next sync.
    await t.fullSync();
    expect(t.catalog.getEntities).toHaveBeenCalledTimes(1);
    expect(claimOf(t.lastFull(), ORDERS)).toBeDefined();
    await t.provider.stop();
  });

  it('on a fresh start with an empty catalog, still emits every readable type', async () => {
    const upbound = fakeUpbound();
    failType(upbound, 'postgresqlinstances', forbidden);
    const t = await setup({ upbound, catalogEntities: [] });
    await t.fullSync();
    const entities = t.lastFull();
    expect(claimOf(entities, BUCKET)).toBeDefined();
    expect(claimOf(entities, ORDERS)).toBeUndefined();
    // The same type in another control plane is read as usual.
    expect(byName(entities, 'team-b/billing-db (ctp-b)')).toBeDefined();
    const ctpA = byName(entities, 'ctp-a')!;
    expect(annotation(ctpA, 'upbound.io/stale')).toBeUndefined();
    expect(claimTypeErrors(ctpA)).toHaveLength(1);
    // Both APIs are still served by ctp-a.
    expect(ctpA.spec?.dependencyOf).toHaveLength(2);
    await t.provider.stop();
  });

  it('times a hanging type out alone, within the control plane timeout', async () => {
    const upbound = fakeUpbound();
    failType(upbound, 'postgresqlinstances', 'hang');
    const t = await setup({ upbound, config: { controlPlaneTimeoutMs: 200 } });
    const started = Date.now();
    await t.fullSync();
    expect(Date.now() - started).toBeLessThan(2_000);
    const entities = t.lastFull();
    expect(claimOf(entities, BUCKET)).toBeDefined();
    expect(
      annotation(byName(entities, 'ctp-a'), 'upbound.io/stale'),
    ).toBeUndefined();
    expect(claimTypeErrors(byName(entities, 'ctp-a'))).toEqual([
      expect.objectContaining({
        kind: 'PostgreSQLInstance',
        type: 'timeout',
        message: expect.stringMatching(
          /^timeout: Listing postgresqlinstances\.platform\.example\.org in control plane .* took longer than 200 ms$/,
        ),
      }),
    ]);
    await t.provider.stop();
  });

  it("reports the control plane deadline, not the request's own timeout, for a LIST cut off at the deadline", async () => {
    const upbound = fakeUpbound();
    const client = upbound.client(CTP_A);
    const list = client.list.bind(client);
    // A transport honours the request timeout it is given: it gives up then with its own error.
    jest.spyOn(client, 'list').mockImplementation((type, options) =>
      type.plural === 'postgresqlinstances'
        ? new Promise((_, reject) =>
            setTimeout(
              () =>
                reject(
                  new KubeError({
                    type: 'timeout',
                    cluster: CTP_A,
                    message: `GET /${type.plural} timed out after ${options?.timeoutMs} ms`,
                  }),
                ),
              options?.timeoutMs,
            ).unref(),
          )
        : list(type, options),
    );
    const t = await setup({ upbound, config: { controlPlaneTimeoutMs: 200 } });
    await t.fullSync();
    expect(claimTypeErrors(byName(t.lastFull(), 'ctp-a'))).toEqual([
      expect.objectContaining({
        type: 'timeout',
        message: expect.stringMatching(/took longer than 200 ms$/),
      }),
    ]);
    await t.provider.stop();
  });

  it('says that the XRD is not Established when its claim type is not served', async () => {
    const upbound = fakeUpbound();
    failType(
      upbound,
      'postgresqlinstances',
      new KubeError({
        type: 'not-found',
        statusCode: 404,
        cluster: CTP_A,
        message: 'the server could not find the requested resource',
      }),
    );
    const t = await setup({ upbound });
    await t.fullSync();
    const [error] = claimTypeErrors(byName(t.lastFull(), 'ctp-a'));
    expect(error.message).toMatch(
      /^the API server does not serve postgresqlinstances\.platform\.example\.org\/v1alpha1: the XRD xpostgresqlinstances\.platform\.example\.org (is not Established|has no served CRD for it)/,
    );
    await t.provider.stop();
  });

  it('asks for a full sync as soon as the watch of a failing type lists again', async () => {
    const upbound = fakeUpbound();
    const watch = jest.spyOn(upbound.client(CTP_A), 'watch');
    const fault = failType(upbound, 'postgresqlinstances', forbidden);
    const t = await setup({ upbound });
    await t.fullSync();
    fault.failing = false;
    const call = watch.mock.calls.find(
      c => c[0].plural === 'postgresqlinstances',
    )!;
    call[2].onSync!([claim('orders-db')]);
    await flush();
    expect(t.scheduler.triggerTask).toHaveBeenCalledWith(
      'upbound-provider:default:refresh',
    );
    await t.provider.stop();
  });

  it('marks a control plane that was never read, so nobody takes it for a last known state', async () => {
    const upbound = fakeUpbound();
    upbound.client(CTP_A).setUnreachable(true);
    const t = await setup({ upbound, catalogEntities: [] });
    await t.fullSync();
    const ctpA = byName(t.lastFull(), 'ctp-a')!;
    expect(annotation(ctpA, 'upbound.io/stale')).toBeDefined();
    expect(annotation(ctpA, 'upbound.io/never-read')).toBe('true');
    // A restart that reads that entity back from the catalog still knows nothing more.
    const again = await setup({
      upbound,
      catalogEntities: t.lastFull().filter(e => e === ctpA),
    });
    await again.fullSync();
    expect(
      annotation(byName(again.lastFull(), 'ctp-a'), 'upbound.io/never-read'),
    ).toBe('true');
    // Once read, the mark is gone.
    upbound.client(CTP_A).setUnreachable(false);
    await again.fullSync();
    expect(
      annotation(byName(again.lastFull(), 'ctp-a'), 'upbound.io/never-read'),
    ).toBeUndefined();
    await t.provider.stop();
    await again.provider.stop();
  });
});
