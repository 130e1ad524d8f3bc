/*
 * Integration tests against the local Space (packages/local-space): real kube-apiservers, the real
 * access layer and discovery. Skipped cleanly when the local Space is not available.
 */
import { describeIfLocalSpace, getLocalSpace } from '@internal/local-space';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  upboundServiceFactory,
  upboundServiceRef,
  type UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import { createBackendModule } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { parse } from 'yaml';
import type { ResourceGraph } from '@upbound-backstage/plugin-upbound-common';
import { upboundPlugin } from './plugin';

// Runs when UPBOUND_LOCAL_SPACE_STATE names a running local Space (`yarn workspace
// @internal/local-space start`); otherwise skipped with the reason.
describeIfLocalSpace('against the local Space', () => {
  let server: any;
  let stopBackend: (() => Promise<void>) | undefined;
  let upbound: UpboundService;

  beforeAll(async () => {
    const space = getLocalSpace()!;
    const config = parse(fs.readFileSync(space.state.appConfigPath, 'utf8'));
    const backend = await startTestBackend({
      features: [
        createBackendModule({
          pluginId: 'upbound',
          moduleId: 'test-capture',
          register(env) {
            env.registerInit({
              deps: { service: upboundServiceRef },
              async init({ service }) {
                upbound = service;
              },
            });
          },
        }),
        upboundPlugin,
        upboundServiceFactory,
        mockServices.rootConfig.factory({ data: config }),
        catalogServiceMock.factory({ entities: [] }),
      ],
    });
    server = backend.server;
    stopBackend = () => backend.stop();
  }, 120_000);

  afterAll(async () => {
    await stopBackend?.();
  });

  async function firstClaim() {
    const list = await request(server).get('/api/upbound/controlplanes');
    expect(list.status).toBe(200);
    const reachable = list.body.items.filter(
      (i: any) => !i.error && i.counts?.claimCount > 0,
    );
    expect(reachable.length).toBeGreaterThan(0);
    const cp = reachable[0];
    const claims = await request(server).get(
      `/api/upbound/controlplanes/${encodeURIComponent(cp.id)}/claims`,
    );
    expect(claims.status).toBe(200);
    return { cp, claim: claims.body.items[0] };
  }

  it('lists control planes and builds a claim graph', async () => {
    const { cp, claim } = await firstClaim();
    const graph = await request(server)
      .get(`/api/upbound/controlplanes/${encodeURIComponent(cp.id)}/graph`)
      .query({
        apiVersion: claim.apiVersion,
        kind: claim.kind,
        namespace: claim.namespace,
        name: claim.name,
      });
    expect(graph.status).toBe(200);
    expect(graph.body.nodes.length).toBeGreaterThanOrEqual(1);
    expect(graph.body.apiCalls).toBeGreaterThanOrEqual(1);
  });

  it('reads events of a claim', async () => {
    const { cp, claim } = await firstClaim();
    const events = await request(server)
      .get(`/api/upbound/controlplanes/${encodeURIComponent(cp.id)}/events`)
      .query({
        apiVersion: claim.apiVersion,
        kind: claim.kind,
        namespace: claim.namespace,
        name: claim.name,
      });
    expect(events.status).toBe(200);
    expect(Array.isArray(events.body.items)).toBe(true);
  });

  it('shows an app cluster as connected as soon as a connector is installed by hand (Helm release Secret), before any claim, and never its values', async () => {
    const space = getLocalSpace()!;
    const target = space.state.controlPlanes.find(c => !c.connectorClaimNamespace) ?? space.state.controlPlanes[0];
    const list = await request(server).get('/api/upbound/controlplanes');
    const cp = list.body.items.find((i: any) => i.name === target.name && i.group === target.group);
    const app = upbound.appClusters()[0];
    // What `helm install` / `up ctp connector install` stores: gzipped JSON, base64, in a Secret.
    const release = {
      name: 'mcp-connector',
      namespace: 'kube-system',
      version: 1,
      info: { status: 'deployed' },
      chart: { metadata: { name: 'mcp-connector', version: '0.6.0' } },
      config: { mcp: { account: 'acme', name: target.name, namespace: 'by-hand', token: 'hand-installed-s3cret' } },
    };
    const secretType = await app.client.resolve('v1', 'Secret');
    const name = 'sh.helm.release.v1.mcp-connector.v1';
    await app.client.apply(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, namespace: 'kube-system', labels: { owner: 'helm', name: 'mcp-connector', status: 'deployed', version: '1' } },
        type: 'helm.sh/release.v1',
        data: {
          release: Buffer.from(gzipSync(Buffer.from(JSON.stringify(release))).toString('base64')).toString('base64'),
        },
      } as any,
      { fieldManager: 'it-helm' },
    );
    try {
      const res = await request(server).get(`/api/upbound/controlplanes/${encodeURIComponent(cp.id)}/connections`);
      expect(res.status).toBe(200);
      const connection = res.body.connections.find((c: any) => c.installs?.some((i: any) => i.via === 'helm'));
      expect(connection).toMatchObject({
        appCluster: app.name,
        claimNamespaces: expect.arrayContaining(['by-hand']),
        installs: [
          {
            via: 'helm',
            namespace: 'kube-system',
            releaseName: 'mcp-connector',
            chartVersion: '0.6.0',
            claimNamespace: 'by-hand',
            status: 'deployed',
            managedByBackstage: false,
          },
        ],
      });
      expect(JSON.stringify(res.body)).not.toContain('hand-installed-s3cret');
      // No connector runs in the local Space: every claim API of the control plane lacks its APIService.
      expect(connection.missingApiServices.length).toBeGreaterThan(0);
      expect(connection.missingApiServices.every((n: string) => /^v[^.]+\..+/.test(n))).toBe(true);
      // Another control plane does not claim this connector.
      const other = list.body.items.find((i: any) => !i.error && i.id !== cp.id);
      const o = await request(server).get(`/api/upbound/controlplanes/${encodeURIComponent(other.id)}/connections`);
      const others = o.body.connections.flatMap((c: any) => c.installs ?? []);
      expect(others.some((i: any) => i.claimNamespace === 'by-hand')).toBe(false);
    } finally {
      await app.client.delete(secretType, name, 'kube-system');
    }
  });

  it('reads connections through the connector and GitOps status of every control plane', async () => {
    const list = await request(server).get('/api/upbound/controlplanes');
    const reachable = list.body.items.filter((i: any) => !i.error);
    let connected = 0;
    let argo = 0;
    let flux = 0;
    for (const cp of reachable) {
      const id = encodeURIComponent(cp.id);
      const connections = await request(server).get(
        `/api/upbound/controlplanes/${id}/connections`,
      );
      expect(connections.status).toBe(200);
      expect(connections.body.errors).toEqual([]);
      for (const c of connections.body.connections) {
        expect(c.appCluster).toBe('app-1');
        expect(c.claimCount).toBeGreaterThan(0);
        // Per claim API: claims counted under the APIService of their group, never more than in total.
        const perApi = c.apiServices.reduce((n: number, a: any) => n + a.claimCount, 0);
        expect(perApi).toBeGreaterThan(0);
        expect(perApi).toBeLessThanOrEqual(c.claimCount);
        connected++;
      }
      const gitops = await request(server).get(
        `/api/upbound/controlplanes/${id}/gitops`,
      );
      expect(gitops.status).toBe(200);
      expect(gitops.body.errors).toEqual([]);
      argo += gitops.body.argocd.length;
      flux += gitops.body.flux.length;
      expect(JSON.stringify(gitops.body)).not.toMatch(
        /token|kubeconfig\b.*apiVersion/i,
      );
    }
    expect(connected).toBeGreaterThan(0);
    expect(argo).toBeGreaterThan(0);
    expect(flux).toBeGreaterThan(0);
  });

  const DEV = encodeURIComponent('space/local/platform/dev');

  /** Polls `fn` until it returns a value (not undefined). */
  async function eventually<T>(
    fn: () => Promise<T | undefined>,
    timeoutMs = 60_000,
  ): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = await fn();
      if (value !== undefined) return value;
      if (Date.now() > until)
        throw new Error(`condition not met in ${timeoutMs} ms`);
      await new Promise(r => setTimeout(r, 250));
    }
  }

  async function graphOf(query: Record<string, string>) {
    const res = await request(server)
      .get(`/api/upbound/controlplanes/${DEV}/graph`)
      .query(query);
    expect(res.status).toBe(200);
    return res.body as ResourceGraph;
  }

  const ordersDb = {
    apiVersion: 'database.example.org/v1alpha1',
    kind: 'PostgreSQLInstance',
    namespace: 'payments',
    name: 'orders-db',
  };
  const assets = {
    apiVersion: 'storage.example.org/v1beta1',
    kind: 'Bucket',
    namespace: 'web',
    name: 'assets',
  };

  it('builds the graph of a claim Crossplane composed, nested composite included', async () => {
    const graph = await eventually(async () => {
      const g = await graphOf(ordersDb);
      return g.nodes.every(n => n.ready?.state === 'True') ? g : undefined;
    });
    const byKind = (kind: string) => graph.nodes.filter(n => n.kind === kind);
    expect(graph.nodes.map(n => `${n.role}:${n.kind}`).sort()).toEqual([
      'claim:PostgreSQLInstance',
      'composite:XNetwork',
      'composite:XPostgreSQLInstance',
      'managed:NopResource',
      'managed:NopResource',
    ]);
    const xr = byKind('XPostgreSQLInstance')[0];
    expect(xr.name).toMatch(/^orders-db-[a-z0-9]{5}$/);
    expect(
      byKind('NopResource')
        .map(n => n.compositionResourceName)
        .sort(),
    ).toEqual(['instance', 'subnet-group']);
    expect(graph.failingPath).toEqual([]);
    expect(graph.edges).toHaveLength(4);
  });

  it('leads the failing path of a failing claim to the NopResource with the provider\'s error', async () => {
    const graph = await eventually(async () => {
      const g = await graphOf(assets);
      const last = g.nodes.find(n => n.id === g.failingPath.at(-1));
      return last?.synced?.state === 'False' ? g : undefined;
    });
    const path = graph.failingPath.map(id => graph.nodes.find(n => n.id === id)!);
    expect(path.map(n => n.kind)).toEqual(['Bucket', 'XBucket', 'NopResource']);
    expect(path[0].ready).toMatchObject({ state: 'False', reason: 'Waiting' });
    expect(path[1].ready).toMatchObject({
      state: 'False',
      reason: 'Creating',
      message: 'Unready resources: bucket',
    });
    expect(path[2]).toMatchObject({
      compositionResourceName: 'bucket',
      synced: {
        state: 'False',
        reason: 'ReconcileError',
        message: expect.stringContaining('namespaces "bucket-secrets" not found'),
      },
    });

    // The events are Crossplane's and provider-nop's own.
    const events = async (ref: Record<string, string>) => {
      const res = await request(server)
        .get(`/api/upbound/controlplanes/${DEV}/events`)
        .query(ref);
      expect(res.status).toBe(200);
      return res.body.items as Array<Record<string, any>>;
    };
    expect(await events(assets)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'Normal',
          reason: 'BindCompositeResource',
          source: 'offered/compositeresourcedefinition.apiextensions.crossplane.io',
        }),
      ]),
    );
    const failing = path[2];
    expect(
      await events({ apiVersion: failing.apiVersion, kind: failing.kind, name: failing.name }),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'Warning',
          reason: 'CannotPublishConnectionDetails',
          source: 'managed/nopresource.nop.crossplane.io',
        }),
      ]),
    );
  });

  it('pauses a claim so that Crossplane stops reconciling it; resume and reconcile act on the live claim', async () => {
    const cp = await upbound.controlPlane('space/local/platform/dev');
    const claimType = await cp.client.resolve(ordersDb.apiVersion, ordersDb.kind);
    const xrType = await cp.client.resolve(
      'database.example.org/v1alpha1',
      'XPostgreSQLInstance',
    );
    const name = `it-pause-${Date.now().toString(36)}`;
    const ref = { ...ordersDb, name };
    const claim = () => cp.client.get(claimType, name, 'payments');
    const xrOf = (c: any): Promise<any> =>
      cp.client.get(xrType, c.spec.resourceRef.name);
    const condition = (obj: any, type: string) =>
      obj.status?.conditions?.find((c: any) => c.type === type);
    await cp.client.apply(
      {
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        metadata: { name, namespace: 'payments' },
        spec: { parameters: { storageGB: 20 } },
      },
      { fieldManager: 'upbound-backend-test' },
    );
    try {
      const composed = await eventually(async () => {
        const c = await claim();
        return c.spec.resourceRef ? c : undefined;
      });

      const paused = await request(server)
        .post(`/api/upbound/controlplanes/${DEV}/pause`)
        .send({ ...ref, paused: true });
      expect(paused.status).toBe(200);
      await eventually(async () =>
        condition(await claim(), 'Synced')?.reason === 'ReconcilePaused'
          ? true
          : undefined,
      );
      await cp.client.mergePatch(
        claimType,
        name,
        'payments',
        { spec: { parameters: { storageGB: 30 } } },
        { fieldManager: 'upbound-backend-test' },
      );
      const reconcile = await request(server)
        .post(`/api/upbound/controlplanes/${DEV}/reconcile`)
        .send(ref);
      expect(reconcile.status).toBe(200);
      // While paused, neither the new size nor the request reaches the composite.
      const until = Date.now() + 3000;
      while (Date.now() < until) {
        const xr = await xrOf(composed);
        expect(xr.spec.parameters.storageGB).toBe(20);
        expect(
          xr.metadata.annotations?.['upbound.io/reconcile-requested-at'],
        ).toBeUndefined();
        await new Promise(r => setTimeout(r, 500));
      }

      const resumed = await request(server)
        .post(`/api/upbound/controlplanes/${DEV}/pause`)
        .send({ ...ref, paused: false });
      expect(resumed.status).toBe(200);
      const xr = await eventually(async () => {
        const x = await xrOf(composed);
        return x.spec.parameters.storageGB === 30 ? x : undefined;
      });
      expect(xr.metadata.annotations['upbound.io/reconcile-requested-at']).toBe(
        reconcile.body.requestedAt,
      );
      // Crossplane writes the claim's own status after it has updated the composite.
      const synced = await eventually(async () => {
        const c = condition(await claim(), 'Synced');
        return c?.status === 'True' ? c : undefined;
      });
      expect(synced).toMatchObject({
        status: 'True',
        reason: 'ReconcileSuccess',
      });
    } finally {
      await cp.client.delete(claimType, name, 'payments');
    }
  }, 120_000);

  it('lists an unreachable control plane with its error instead of failing the list', async () => {
    const list = await request(server).get('/api/upbound/controlplanes');
    expect(list.status).toBe(200);
    for (const item of list.body.items) {
      expect(item.counts !== undefined || item.error !== undefined).toBe(true);
    }
  });
});
