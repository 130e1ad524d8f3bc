/*
 * Permission matrix: every route, once for an allowed and once for a denied user. Denied means
 * 403 before any cluster call. Also: no response ever carries a token, kubeconfig or Secret data.
 */
import request from 'supertest';
import {
  AuthorizeResult,
  type Permission,
} from '@backstage/plugin-permission-common';
import { cpId } from './__testUtils__/crossplaneFixtures';
import {
  ARGO_TOKEN,
  createTestSetup,
  SECRET_TOKEN,
} from './__testUtils__/testBackend';

const cp = encodeURIComponent(cpId);
const obj = {
  apiVersion: 'platform.example.org/v1alpha1',
  kind: 'Database',
  namespace: 'team-a',
  name: 'db-1',
};
const entity = '/api/upbound/entities/resource/default/ctp-a-team-a-db-1';

interface RouteCase {
  method: 'get' | 'post';
  path: string;
  query?: Record<string, string>;
  body?: object;
  /** The permission whose denial must turn the route into 403. */
  needs: string;
}

const routes: RouteCase[] = [
  {
    method: 'get',
    path: '/api/upbound/controlplanes',
    needs: 'upbound.controlplane.read',
  },
  {
    method: 'get',
    path: `/api/upbound/controlplanes/${cp}`,
    needs: 'upbound.controlplane.read',
  },
  {
    method: 'get',
    path: `/api/upbound/controlplanes/${cp}/claim-apis`,
    needs: 'upbound.controlplane.read',
  },
  {
    method: 'get',
    path: `/api/upbound/controlplanes/${cp}/claims`,
    needs: 'upbound.controlplane.read',
  },
  {
    method: 'get',
    path: `/api/upbound/controlplanes/${cp}/object`,
    query: obj,
    needs: 'upbound.controlplane.read',
  },
  {
    method: 'get',
    path: `/api/upbound/controlplanes/${cp}/graph`,
    query: obj,
    needs: 'upbound.controlplane.read',
  },
  {
    method: 'get',
    path: `/api/upbound/controlplanes/${cp}/events`,
    query: obj,
    needs: 'upbound.controlplane.read',
  },
  {
    method: 'get',
    path: `/api/upbound/controlplanes/${cp}/connections`,
    needs: 'upbound.controlplane.read',
  },
  {
    method: 'get',
    path: `/api/upbound/controlplanes/${cp}/gitops`,
    needs: 'upbound.controlplane.read',
  },
  {
    method: 'post',
    path: `/api/upbound/controlplanes/${cp}/pause`,
    body: { ...obj, paused: true },
    needs: 'upbound.claim.update',
  },
  {
    method: 'post',
    path: `/api/upbound/controlplanes/${cp}/pause`,
    body: { ...obj, paused: true },
    needs: 'upbound.controlplane.read',
  },
  {
    method: 'post',
    path: `/api/upbound/controlplanes/${cp}/reconcile`,
    body: obj,
    needs: 'upbound.claim.update',
  },
  {
    method: 'post',
    path: `/api/upbound/controlplanes/${cp}/reconcile`,
    body: obj,
    needs: 'upbound.controlplane.read',
  },
  {
    method: 'post',
    path: '/api/upbound/argocd/main/applications/argocd/claims-team-a/sync',
    needs: 'upbound.gitops.sync',
  },
  {
    method: 'get',
    path: '/api/upbound/app-clusters',
    needs: 'upbound.controlplane.read',
  },
  { method: 'get', path: `${entity}/target`, needs: 'upbound.claim.read' },
  { method: 'get', path: `${entity}/graph`, needs: 'upbound.claim.read' },
  { method: 'get', path: `${entity}/events`, needs: 'upbound.claim.read' },
  { method: 'get', path: `${entity}/object`, needs: 'upbound.claim.read' },
  {
    method: 'post',
    path: `${entity}/pause`,
    body: { paused: true },
    needs: 'upbound.claim.update',
  },
  {
    method: 'post',
    path: `${entity}/reconcile`,
    needs: 'upbound.claim.update',
  },
];

function send(server: any, r: RouteCase) {
  let req = request(server)[r.method](r.path);
  if (r.query) req = req.query(r.query);
  if (r.body) req = req.send(r.body);
  return req;
}

describe('permission matrix', () => {
  it.each(
    routes.map(
      r => [`${r.method.toUpperCase()} ${r.path} (${r.needs})`, r] as const,
    ),
  )('%s: allowed user succeeds', async (_name, route) => {
    const { server } = await createTestSetup();
    const res = await send(server, route);
    expect(res.status).toBe(200);
  });

  it.each(
    routes.map(
      r => [`${r.method.toUpperCase()} ${r.path} (${r.needs})`, r] as const,
    ),
  )(
    '%s: denied user gets 403 and no cluster call is made',
    async (_name, route) => {
      const { server, clusterCalls, argoRequest } = await createTestSetup({
        decide: (p: Permission) =>
          p.name === route.needs ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
      });
      const res = await send(server, route);
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(clusterCalls()).toBe(0);
      expect(argoRequest).not.toHaveBeenCalled();
    },
  );

  it('treats a conditional decision on coordinate-based writes as a denial', async () => {
    const { server, clusterCalls } = await createTestSetup({
      decide: (p: Permission) =>
        p.name === 'upbound.claim.update'
          ? AuthorizeResult.CONDITIONAL
          : AuthorizeResult.ALLOW,
    });
    const res = await request(server)
      .post(`/api/upbound/controlplanes/${cp}/pause`)
      .send({ ...obj, paused: true });
    expect(res.status).toBe(403);
    expect(clusterCalls()).toBe(0);
  });
});

describe('no secrets in responses', () => {
  const forbidden = [
    SECRET_TOKEN,
    Buffer.from(SECRET_TOKEN).toString('base64'),
    ARGO_TOKEN,
    'CA-DATA-PEM',
    'kind: Config',
    'certificate-authority-data',
    'bearerToken',
  ];

  it('never returns a configured token, a kubeconfig or Secret data from any route', async () => {
    const { server } = await createTestSetup();
    const bodies: string[] = [];
    for (const route of routes) {
      const res = await send(server, route);
      bodies.push(res.text);
    }
    // Also ask for the Secrets directly, by coordinates and as entity graph nodes.
    for (const name of ['ctp-a-cluster', 'ctp-a-kubeconfig']) {
      const res = await request(server)
        .get(`/api/upbound/controlplanes/${cp}/object`)
        .query({ apiVersion: 'v1', kind: 'Secret', namespace: 'argocd', name });
      expect(res.status).toBe(400);
      bodies.push(res.text);
    }
    const node = await request(server).get(`${entity}/object`).query({
      nodeApiVersion: 'v1',
      nodeKind: 'Secret',
      nodeNamespace: 'team-a',
      nodeName: 'db-1-conn',
    });
    expect(node.status).toBe(400);
    bodies.push(node.text);

    for (const body of bodies) {
      for (const f of forbidden) expect(body).not.toContain(f);
    }
  });
});
