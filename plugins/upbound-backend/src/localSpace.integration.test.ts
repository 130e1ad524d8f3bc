/*
 * Integration tests against the local Space (packages/local-space): real kube-apiservers, the real
 * access layer and discovery. Skipped cleanly when the local Space is not available.
 */
import { describeIfLocalSpace, getLocalSpace } from '@internal/local-space';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { upboundServiceFactory } from '@upbound-backstage/plugin-upbound-node';
import fs from 'node:fs';
import request from 'supertest';
import { parse } from 'yaml';
import { upboundPlugin } from './plugin';

// Runs when UPBOUND_LOCAL_SPACE_STATE names a running local Space (`yarn workspace
// @internal/local-space start`); otherwise skipped with the reason.
describeIfLocalSpace('against the local Space', () => {
  let server: any;
  let stopBackend: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const space = getLocalSpace()!;
    const config = parse(fs.readFileSync(space.state.appConfigPath, 'utf8'));
    const backend = await startTestBackend({
      features: [
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

  it('lists an unreachable control plane with its error instead of failing the list', async () => {
    const list = await request(server).get('/api/upbound/controlplanes');
    expect(list.status).toBe(200);
    for (const item of list.body.items) {
      expect(item.counts !== undefined || item.error !== undefined).toBe(true);
    }
  });
});
