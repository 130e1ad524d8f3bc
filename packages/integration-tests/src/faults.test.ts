/*
 * Faults against one control plane of the local Space, injected by a TLS proxy in front of the
 * Space ingress: the real access layer, discovery, catalog provider and REST API meet real
 * 401/403/429/500 answers, slow answers, dropped connections, expired watches and a token that
 * stops working mid-run. The other control plane must not notice.
 */
import { describeIfLocalSpace, getLocalSpace } from '@internal/local-space';
import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_STALE,
  ANNOTATION_STALE_REASON,
} from '@upbound-backstage/plugin-upbound-common';
import request from 'supertest';
import { FaultProxy, type Fault } from './lib/FaultProxy';
import {
  byControlPlane,
  DEV_ID,
  eventually,
  PROD_ID,
  PROD_PATH,
  spaceConfig,
  startUpboundBackend,
  type UpboundTestBackend,
} from './lib/harness';

const REQUEST_TIMEOUT_MS = 1500;

describeIfLocalSpace('faults in one control plane', () => {
  let proxy: FaultProxy;
  let backend: UpboundTestBackend;
  let healthy: Map<string, Entity>;
  let failing: Map<string, Entity>;

  beforeAll(async () => {
    const space = getLocalSpace()!;
    proxy = await FaultProxy.start({
      upstream: space.state.ingress.url,
      upstreamCa: space.ca,
      target: PROD_PATH,
    });
    const config = spaceConfig(space);
    config.upbound.spaces[0].ingress = { host: proxy.host, caData: proxy.ca };
    config.upbound.timeouts = { requestMs: REQUEST_TIMEOUT_MS };
    config.upbound.backend = { cache: { countsTtlMs: 0, graphTtlMs: 0 } };
    config.catalog = { providers: { upbound: { controlPlaneTimeout: '8s' } } };
    backend = await startUpboundBackend(config);
    await backend.fullSync();
    const entities = backend.lastFull();
    healthy = byControlPlane(entities, DEV_ID);
    failing = byControlPlane(entities, PROD_ID);
  });

  it('reads both control planes before any fault', () => {
    expect(healthy.size).toBeGreaterThan(3);
    expect(failing.size).toBeGreaterThan(3);
    // team-a/staging has no API server and is stale throughout; these two are read fine.
    for (const e of [...healthy.values(), ...failing.values()]) {
      expect(e.metadata.annotations?.[ANNOTATION_STALE]).toBeUndefined();
    }
  });

  afterEach(() => proxy.clear());

  afterAll(async () => {
    await backend?.stop();
    await proxy?.stop();
  });

  /** Healthy entities that both reads saw must be identical (other suites may add claims). */
  function expectHealthyUnchanged(now: Map<string, Entity>) {
    for (const [ref, entity] of healthy) {
      expect(now.get(ref)).toEqual(entity);
    }
  }

  const cases: Array<{
    name: string;
    fault: Fault;
    afterRequests?: number;
    type: RegExp;
    /** Whether the access layer retries the failed calls (429 and 5xx, not 401/403/timeouts). */
    retried?: boolean;
  }> = [
    {
      name: 'API server stopped mid-sync',
      fault: { kind: 'down' },
      afterRequests: 2,
      type: /unreachable/,
      retried: true,
    },
    { name: '401', fault: { kind: 'status', status: 401 }, type: /unauthorized/ },
    { name: '403', fault: { kind: 'status', status: 403 }, type: /forbidden/ },
    {
      name: '429 with Retry-After',
      fault: { kind: 'status', status: 429, retryAfterSeconds: 1 },
      type: /rate-limited/,
      retried: true,
    },
    {
      name: '500',
      fault: { kind: 'status', status: 500 },
      type: /server-error/,
      retried: true,
    },
    {
      name: 'slow answers past the timeout',
      fault: { kind: 'slow', delayMs: REQUEST_TIMEOUT_MS * 3 },
      type: /timeout/,
    },
    {
      name: 'a token that expires during the run',
      fault: {
        kind: 'status',
        status: 401,
        message: 'Unauthorized: token has expired',
      },
      afterRequests: 3,
      type: /unauthorized/,
    },
  ];

  it.each(cases)(
    '$name: keeps and marks the failing control plane, leaves the other alone, recovers',
    async ({ fault, afterRequests, type, retried }) => {
      const logStart = backend.logger.lines.length;
      const retriesBefore = backend.upbound.stats()[PROD_ID]?.retries ?? 0;
      proxy.setFault(fault, { afterRequests });
      await backend.fullSync();
      const retries = (backend.upbound.stats()[PROD_ID]?.retries ?? 0) - retriesBefore;
      expect(retries > 0).toBe(!!retried);

      const during = backend.lastFull();
      expectHealthyUnchanged(byControlPlane(during, DEV_ID));
      for (const e of byControlPlane(during, DEV_ID).values()) {
        expect(e.metadata.annotations?.[ANNOTATION_STALE]).toBeUndefined();
      }
      const kept = byControlPlane(during, PROD_ID);
      expect([...kept.keys()].sort()).toEqual([...failing.keys()].sort());
      // Claim types fail alone: a fault from the first request stales every entity of the control plane, one
      // that starts mid-run (afterRequests) only the types read after it; the others were read and are current.
      const stale = [...kept.values()].filter(e => e.metadata.annotations?.[ANNOTATION_STALE]);
      expect(stale.length).toBeGreaterThan(0);
      expect(stale.length).toBe(afterRequests ? stale.length : kept.size);
      for (const e of stale) {
        expect(e.metadata.annotations?.[ANNOTATION_STALE_REASON]).toMatch(type);
      }
      // Reported by name in the log...
      const warned = backend.logger.lines
        .slice(logStart)
        .filter(l => l.level === 'warn' && l.message.includes(PROD_ID));
      expect(warned.length).toBeGreaterThan(0);
      expect(warned[0].message).toMatch(type);
      // ...and on the control planes page.
      const list = await request(backend.server).get('/api/upbound/controlplanes');
      expect(list.status).toBe(200);
      const item = list.body.items.find((i: any) => i.id === PROD_ID);
      expect(item.error).toEqual(
        expect.objectContaining({ cluster: PROD_ID, type: expect.stringMatching(type) }),
      );
      const dev = list.body.items.find((i: any) => i.id === DEV_ID);
      expect(dev.error).toBeUndefined();
      expect(dev.counts.claimCount).toBeGreaterThan(0);

      // One period after the fault clears, everything is as before.
      proxy.clear();
      await backend.fullSync();
      const after = backend.lastFull();
      expectHealthyUnchanged(byControlPlane(after, DEV_ID));
      const recovered = byControlPlane(after, PROD_ID);
      expect([...recovered.keys()].sort()).toEqual([...failing.keys()].sort());
      for (const [ref, entity] of failing) {
        expect(recovered.get(ref)).toEqual(entity);
      }
      const again = await request(backend.server).get('/api/upbound/controlplanes');
      expect(again.body.items.find((i: any) => i.id === PROD_ID).error).toBeUndefined();
    },
  );

  it('relists after a watch is closed with 410 Gone and removes nothing', async () => {
    await eventually(
      () => (proxy.openWatches > 0 && backend.provider.watchCount > 0) || undefined,
      20_000,
      'watches open through the proxy',
    );
    const openBefore = proxy.openWatches;
    const requestsBefore = proxy.counts.target;
    const mutationsBefore = backend.mutations.length;
    proxy.setFault({ kind: 'gone' });
    expect(proxy.openWatches).toBe(0);
    // Every closed watch lists again and watches from the new resourceVersion.
    await eventually(
      () => (proxy.openWatches >= openBefore ? true : undefined),
      20_000,
      'watches reopened',
    );
    expect(proxy.counts.target).toBeGreaterThan(requestsBefore);
    const removed = backend.mutations
      .slice(mutationsBefore)
      .flatMap(m => (m.type === 'delta' ? m.removed : []));
    expect(removed).toEqual([]);
    await backend.fullSync();
    const after = byControlPlane(backend.lastFull(), PROD_ID);
    for (const [ref, entity] of failing) expect(after.get(ref)).toEqual(entity);
  });
});
