import request from 'supertest';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { cpId } from './__testUtils__/crossplaneFixtures';
import {
  brokenId,
  createTestSetup,
  SECRET_TOKEN,
} from './__testUtils__/testBackend';

const cp = encodeURIComponent(cpId);
const claimQuery = {
  apiVersion: 'platform.example.org/v1alpha1',
  kind: 'Database',
  namespace: 'team-a',
  name: 'db-1',
};
const entity = '/api/upbound/entities/resource/default/ctp-a-team-a-db-1';

describe('router', () => {
  it('serves /health without credentials', async () => {
    const { server } = await createTestSetup();
    const res = await request(server)
      .get('/api/upbound/health')
      .set('Authorization', 'Bearer invalid-and-ignored');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('lists control planes with counts and keeps an unreachable one with its error', async () => {
    const { server } = await createTestSetup();
    const res = await request(server).get('/api/upbound/controlplanes');
    expect(res.status).toBe(200);
    const [a, down] = res.body.items;
    expect(a).toMatchObject({
      id: cpId,
      name: 'ctp-a',
      counts: {
        claimApiCount: 2,
        claimCount: 2,
        failingClaimCount: 0,
        appClusterCount: 1,
      },
    });
    expect(a.client).toBeUndefined();
    expect(a.server).toBeUndefined();
    expect(a.caData).toBeUndefined();
    expect(down).toMatchObject({
      id: brokenId,
      error: {
        cluster: brokenId,
        type: 'unreachable',
        message: expect.stringContaining(brokenId),
      },
    });
    expect(down.counts).toBeUndefined();
    expect(res.body.errors).toEqual([down.error]);
  });

  it('returns control plane detail with claim APIs, and 404 for an unknown id', async () => {
    const { server } = await createTestSetup();
    const res = await request(server).get(`/api/upbound/controlplanes/${cp}`);
    expect(res.status).toBe(200);
    // Read from the XRDs, which the API server lists by name.
    expect(res.body.claimApis.map((a: any) => a.kind)).toEqual([
      'App',
      'XDatabase',
    ]);
    const missing = await request(server).get(
      `/api/upbound/controlplanes/${encodeURIComponent(
        'space/local/platform/nope',
      )}`,
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.name).toBe('NotFoundError');
    const apis = await request(server).get(
      `/api/upbound/controlplanes/${cp}/claim-apis`,
    );
    expect(apis.body.items).toHaveLength(2);
  });

  it('lists claims and v2 namespaced XRs with filters and paging', async () => {
    const { server } = await createTestSetup();
    const all = await request(server).get(
      `/api/upbound/controlplanes/${cp}/claims`,
    );
    expect(all.status).toBe(200);
    expect(all.body.totalCount).toBe(2);
    expect(
      all.body.items.map((c: any) => [c.type, c.kind, c.namespace, c.name]),
    ).toEqual([
      ['claim', 'Database', 'team-a', 'db-1'],
      ['composite', 'App', 'team-b', 'cache-1'],
    ]);
    expect(all.body.items[1].connector).toEqual({
      appCluster: '00000000-0000-0000-0000-000000000001',
      appNamespace: 'shop',
      appName: 'cache',
    });
    expect(JSON.stringify(all.body)).not.toContain(
      'last-applied-configuration',
    );

    const byApi = await request(server)
      .get(`/api/upbound/controlplanes/${cp}/claims`)
      .query({ api: 'platform.example.org/XDatabase' });
    expect(byApi.body.items.map((c: any) => c.name)).toEqual(['db-1']);

    const page1 = await request(server)
      .get(`/api/upbound/controlplanes/${cp}/claims`)
      .query({ limit: 1 });
    expect(page1.body.items).toHaveLength(1);
    const page2 = await request(server)
      .get(`/api/upbound/controlplanes/${cp}/claims`)
      .query({ limit: 1, cursor: page1.body.nextCursor });
    expect(page2.body.items[0].name).toBe('cache-1');
    expect(page2.body.nextCursor).toBeUndefined();

    const notReady = await request(server)
      .get(`/api/upbound/controlplanes/${cp}/claims`)
      .query({ ready: 'False' });
    expect(notReady.body.items).toEqual([]);

    const bad = await request(server)
      .get(`/api/upbound/controlplanes/${cp}/claims`)
      .query({ ready: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('ready');
  });

  it('serves an object as YAML without managedFields or last-applied, and refuses Secrets', async () => {
    const { server, cpClient } = await createTestSetup();
    const res = await request(server)
      .get(`/api/upbound/controlplanes/${cp}/object`)
      .query(claimQuery);
    expect(res.status).toBe(200);
    expect(res.body.object.metadata.managedFields).toBeUndefined();
    expect(res.body.object.metadata.annotations).toBeUndefined();
    expect(res.body.yaml).toContain('kind: Database');
    expect(res.body.yaml).not.toContain('managedFields');

    const before = cpClient.calls.length;
    const secret = await request(server)
      .get(`/api/upbound/controlplanes/${cp}/object`)
      .query({
        apiVersion: 'v1',
        kind: 'Secret',
        namespace: 'team-a',
        name: 'db-1-conn',
      });
    expect(secret.status).toBe(400);
    expect(cpClient.calls.length).toBe(before);
  });

  it('builds the resource graph with the API call count', async () => {
    const { server } = await createTestSetup();
    const res = await request(server)
      .get(`/api/upbound/controlplanes/${cp}/graph`)
      .query(claimQuery);
    expect(res.status).toBe(200);
    expect(res.body.nodes).toHaveLength(7);
    expect(res.body.apiCalls).toBeGreaterThan(0);
    expect(res.body.failingPath).toEqual([]);
  });

  it('returns 404 naming the object when the graph root does not exist', async () => {
    const { server } = await createTestSetup();
    const res = await request(server)
      .get(`/api/upbound/controlplanes/${cp}/graph`)
      .query({ ...claimQuery, name: 'nope' });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('nope');
  });

  it('maps an unreachable control plane to 503 and a missing kind to 404', async () => {
    const { server } = await createTestSetup();
    const down = await request(server)
      .get(`/api/upbound/controlplanes/${encodeURIComponent(brokenId)}/graph`)
      .query(claimQuery);
    expect(down.status).toBe(503);
    expect(down.body.error.message).toContain(brokenId);
    const crd = await request(server)
      .get(`/api/upbound/controlplanes/${cp}/graph`)
      .query({ ...claimQuery, kind: 'Unknown' });
    expect(crd.status).toBe(404);
    expect(crd.body.error.message).toContain('Unknown');
  });

  it('merges core and events.k8s.io events, deduplicated, newest first', async () => {
    const { server, cpClient } = await createTestSetup();
    const res = await request(server)
      .get(`/api/upbound/controlplanes/${cp}/events`)
      .query(claimQuery);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        type: 'Warning',
        reason: 'BindCompositeResource',
        message: 'cannot bind',
      }),
      expect.objectContaining({
        reason: 'ConfigureCompositeResource',
        count: 3,
      }),
    ]);
    const selectors = cpClient.calls
      .filter(c => c.verb === 'list' && c.kind === 'Event')
      .map(c => c.options?.fieldSelector);
    expect(selectors).toEqual([
      'involvedObject.name=db-1,involvedObject.kind=Database,involvedObject.namespace=team-a',
      'regarding.name=db-1,regarding.kind=Database,regarding.namespace=team-a',
    ]);
  });

  it('reports connections through the MCP Connector joined with configured app clusters', async () => {
    const { server } = await createTestSetup();
    const res = await request(server).get(
      `/api/upbound/controlplanes/${cp}/connections`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      connections: [
        {
          clusterId: '00000000-0000-0000-0000-000000000001',
          appCluster: 'app-1',
          claimNamespaces: ['team-b'],
          claimCount: 1,
          apiServices: [
            {
              name: 'v1alpha1.platform.example.org',
              group: 'platform.example.org',
              version: 'v1alpha1',
              available: { state: 'True', reason: 'Passed' },
              // The app cluster's one claim is an App (apps.example.org), which has no APIService here.
              claimCount: 0,
            },
          ],
          // The control plane's other claim API has no APIService in the app cluster.
          missingApiServices: ['v1.apps.example.org'],
        },
      ],
      errors: [],
    });
  });

  it('reports Argo CD Applications and Flux Kustomizations that target the control plane', async () => {
    const { server } = await createTestSetup();
    const res = await request(server).get(
      `/api/upbound/controlplanes/${cp}/gitops`,
    );
    expect(res.status).toBe(200);
    expect(
      res.body.argocd.map((a: any) => [a.instance, a.name, a.canSync]),
    ).toEqual([
      // Per instance in the order the API server lists them: by name.
      ['main', 'by-server', true],
      ['main', 'claims-team-a', true],
      ['readonly', 'by-server', false],
      ['readonly', 'claims-team-a', false],
    ]);
    expect(res.body.argocd[1]).toMatchObject({
      name: 'claims-team-a',
      syncStatus: 'Synced',
      healthStatus: 'Healthy',
      operationPhase: 'Succeeded',
      repoURL: 'https://git.example.com/claims',
    });
    expect(res.body.flux).toEqual([
      {
        instance: 'main',
        namespace: 'flux-system',
        name: 'claims',
        path: './claims',
        sourceRef: { kind: 'GitRepository', name: 'claims' },
        ready: { state: 'True', reason: 'ReconciliationSucceeded' },
        lastAppliedRevision: 'main@sha1:1234',
      },
    ]);
    expect(res.body.errors).toEqual([]);
  });

  it("passes the engines' own diagnostics through: conditions, resource counts, source state, refused credentials", async () => {
    const { server, appClient } = await createTestSetup();
    const app = appClient
      .all()
      .find(
        o => o.kind === 'Application' && o.metadata?.name === 'claims-team-a',
      )!;
    app.status = {
      ...app.status,
      sync: { status: 'Synced', revision: 'abc' },
      resources: [],
      conditions: [
        {
          type: 'ComparisonError',
          message:
            'Failed to load live state: the server has asked for the client to provide credentials',
        },
      ],
      operationState: {
        phase: 'Succeeded',
        finishedAt: '2026-12-01T10:00:00Z',
      },
    };
    appClient.upsert(app);
    const ks = appClient
      .all()
      .find(o => o.kind === 'Kustomization' && o.metadata?.name === 'claims')!;
    ks.status = {
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'ArtifactFailed',
          message: 'Source artifact not found, retrying in 30s',
          lastTransitionTime: '2026-12-01T10:01:00Z',
        },
      ],
      inventory: { entries: [{ id: 'a', v: 'v1' }, { id: 'b', v: 'v1' }] },
    };
    appClient.upsert(ks);
    appClient.upsert({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'claims', namespace: 'flux-system' },
      spec: { url: 'https://git.example.com/claims.git' },
      status: {
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'GitOperationFailed',
            message: 'failed to checkout and determine revision: repository not found',
          },
        ],
      },
    });
    const res = await request(server).get(
      `/api/upbound/controlplanes/${cp}/gitops`,
    );
    expect(res.status).toBe(200);
    expect(res.body.argocd[1]).toMatchObject({
      name: 'claims-team-a',
      resourceCount: 0,
      operationFinishedAt: '2026-12-01T10:00:00Z',
      conditions: [expect.objectContaining({ type: 'ComparisonError' })],
      credentialProblem: expect.stringMatching(
        /^Argo CD cannot authenticate to the control plane: .*provide credentials/,
      ),
    });
    expect(res.body.flux[0]).toMatchObject({
      name: 'claims',
      readySince: '2026-12-01T10:01:00Z',
      resourceCount: 2,
      source: {
        url: 'https://git.example.com/claims.git',
        ready: { state: 'False', reason: 'GitOperationFailed' },
      },
    });
    expect(res.body.flux[0].credentialProblem).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toContain(SECRET_TOKEN);
  });

  it('pauses, resumes and reconciles with audit events', async () => {
    const { server, cpClient, auditor, auditEvent } = await createTestSetup();
    const pause = await request(server)
      .post(`/api/upbound/controlplanes/${cp}/pause`)
      .send({ ...claimQuery, paused: true });
    expect(pause.status).toBe(200);
    expect(pause.body).toEqual({ paused: true });
    const claim = () => cpClient.all().find(o => o.metadata?.name === 'db-1')!;
    expect(claim().metadata!.annotations!['crossplane.io/paused']).toBe('true');
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'claim-pause',
        meta: expect.objectContaining({ name: 'db-1' }),
      }),
    );
    expect(auditEvent.success).toHaveBeenCalled();

    await request(server)
      .post(`/api/upbound/controlplanes/${cp}/pause`)
      .send({ ...claimQuery, paused: false })
      .expect(200);
    expect(
      claim().metadata!.annotations!['crossplane.io/paused'],
    ).toBeUndefined();

    const rec = await request(server)
      .post(`/api/upbound/controlplanes/${cp}/reconcile`)
      .send(claimQuery);
    expect(rec.status).toBe(200);
    expect(
      claim().metadata!.annotations!['upbound.io/reconcile-requested-at'],
    ).toBe(rec.body.requestedAt);

    const bad = await request(server)
      .post(`/api/upbound/controlplanes/${cp}/pause`)
      .send({ ...claimQuery, paused: 'yes' });
    expect(bad.status).toBe(400);
  });

  it('triggers an Argo CD sync, and refuses one when no REST URL is configured', async () => {
    const { server, argoRequest } = await createTestSetup();
    const res = await request(server).post(
      '/api/upbound/argocd/main/applications/argocd/claims-team-a/sync',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ phase: 'Running' });
    expect(argoRequest).toHaveBeenCalledWith(
      'POST',
      '/api/v1/applications/claims-team-a/sync',
      { name: 'claims-team-a', appNamespace: 'argocd' },
    );
    const none = await request(server).post(
      '/api/upbound/argocd/readonly/applications/argocd/claims-team-a/sync',
    );
    expect(none.status).toBe(409);
    const unknown = await request(server).post(
      '/api/upbound/argocd/nope/applications/argocd/claims-team-a/sync',
    );
    expect(unknown.status).toBe(404);
  });

  it('lists configured app clusters without credentials', async () => {
    const { server } = await createTestSetup();
    const res = await request(server).get('/api/upbound/app-clusters');
    expect(res.body).toEqual({
      items: [
        {
          name: 'app-1',
          title: 'App cluster 1',
          clusterId: '00000000-0000-0000-0000-000000000001',
          source: 'upbound',
        },
      ],
    });
  });

  describe('entity routes', () => {
    it('resolves the entity target, graph, events, object and node lookups', async () => {
      const { server } = await createTestSetup();
      const target = await request(server).get(`${entity}/target`);
      expect(target.status).toBe(200);
      expect(target.body).toMatchObject({
        controlPlaneId: cpId,
        ...claimQuery,
        controlPlane: { id: cpId, name: 'ctp-a' },
      });
      expect(target.body.controlPlane.server).toBeUndefined();

      const graph = await request(server).get(`${entity}/graph`);
      expect(graph.body.nodes).toHaveLength(7);

      const events = await request(server).get(`${entity}/events`);
      expect(events.body.items).toHaveLength(2);

      const node = await request(server).get(`${entity}/object`).query({
        nodeApiVersion: 'ec2.aws.upbound.io/v1beta1',
        nodeKind: 'Subnet',
        nodeName: 'db-1-x7k2p-net-a',
      });
      expect(node.status).toBe(200);
      expect(node.body.object.metadata.name).toBe('db-1-x7k2p-net-a');
    });

    it('refuses nodes outside the entity graph', async () => {
      const { server } = await createTestSetup();
      const res = await request(server).get(`${entity}/object`).query({
        nodeApiVersion: 'apps.example.org/v1',
        nodeKind: 'App',
        nodeNamespace: 'team-b',
        nodeName: 'cache-1',
      });
      expect(res.status).toBe(404);
      expect(res.body.error.message).toContain('not part of');
    });

    it('returns 404 for missing entities and entities without upbound annotations', async () => {
      const { server, cpClient } = await createTestSetup();
      expect(
        (
          await request(server).get(
            '/api/upbound/entities/resource/default/nope/graph',
          )
        ).status,
      ).toBe(404);
      expect(
        (
          await request(server).get(
            '/api/upbound/entities/component/default/web/graph',
          )
        ).status,
      ).toBe(404);
      expect(cpClient.calls).toHaveLength(0);
    });

    it('pauses and reconciles through the entity', async () => {
      const { server, cpClient } = await createTestSetup();
      await request(server)
        .post(`${entity}/pause`)
        .send({ paused: true })
        .expect(200);
      const claim = cpClient.all().find(o => o.metadata?.name === 'db-1')!;
      expect(claim.metadata!.annotations!['crossplane.io/paused']).toBe('true');
      const rec = await request(server).post(`${entity}/reconcile`);
      expect(rec.status).toBe(200);
      expect(rec.body.requestedAt).toEqual(expect.any(String));
    });

    it('authorizes claim permissions against the entity ref', async () => {
      const seen: Array<[string, string | undefined]> = [];
      const { server } = await createTestSetup({
        decide: (p, ref) => {
          seen.push([p.name, ref]);
          return AuthorizeResult.ALLOW;
        },
      });
      await request(server).get(`${entity}/graph`).expect(200);
      expect(seen).toEqual([
        ['upbound.claim.read', 'resource:default/ctp-a-team-a-db-1'],
      ]);
    });
  });
});
