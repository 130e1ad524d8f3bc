import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { mockApis, registerMswTestHooks } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import { UpboundClient } from './UpboundClient';
import { controlPlaneList } from '../__fixtures__/controlPlanes';
import { failingGraph } from '../__fixtures__/graphs';
import { fluxDelivery } from '../__fixtures__/delivery';

const base = 'http://localhost:7007/api/upbound';
const server = setupServer();
registerMswTestHooks(server);

const entity = { kind: 'Resource', namespace: 'default', name: 'ctp-a-team-a-billing-db-1a2b3c4d' };

describe('UpboundClient', () => {
  const client = new UpboundClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: mockApis.fetch(),
  });

  it('lists control planes', async () => {
    server.use(http.get(`${base}/controlplanes`, () => HttpResponse.json(controlPlaneList)));
    await expect(client.listControlPlanes()).resolves.toEqual(controlPlaneList);
  });

  it('encodes the control plane id as one path segment and passes claim filters', async () => {
    let seen: URL | undefined;
    server.use(
      http.get(`${base}/controlplanes/:id/claims`, ({ request, params }) => {
        seen = new URL(request.url);
        expect(params.id).toBe('space/local/platform/ctp-a');
        return HttpResponse.json({ items: [], totalCount: 0, errors: [] });
      }),
    );
    await client.listClaims('space/local/platform/ctp-a', {
      api: 'platform.example.org/Database',
      ready: 'False',
      namespace: '',
    });
    expect(seen!.pathname).toBe('/api/upbound/controlplanes/space%2Flocal%2Fplatform%2Fctp-a/claims');
    expect(seen!.searchParams.get('api')).toBe('platform.example.org/Database');
    expect(seen!.searchParams.get('ready')).toBe('False');
    expect(seen!.searchParams.has('namespace')).toBe(false);
  });

  it('reads the graph and node events of an entity', async () => {
    let query: URLSearchParams | undefined;
    server.use(
      http.get(`${base}/entities/Resource/default/:name/graph`, () =>
        HttpResponse.json(failingGraph),
      ),
      http.get(`${base}/entities/Resource/default/:name/events`, ({ request }) => {
        query = new URL(request.url).searchParams;
        return HttpResponse.json({ items: [] });
      }),
    );
    await expect(client.getEntityGraph(entity)).resolves.toEqual(failingGraph);
    await client.getEntityEvents(entity, {
      apiVersion: 'rds.aws.upbound.io/v1beta1',
      kind: 'Instance',
      name: 'db',
    });
    expect(Object.fromEntries(query!)).toEqual({
      nodeApiVersion: 'rds.aws.upbound.io/v1beta1',
      nodeKind: 'Instance',
      nodeName: 'db',
    });
  });

  it("reads an entity's delivery", async () => {
    let path: string | undefined;
    server.use(
      http.get(`${base}/entities/:kind/:namespace/:name/delivery`, ({ request }) => {
        path = new URL(request.url).pathname;
        return HttpResponse.json(fluxDelivery);
      }),
    );
    await expect(
      client.getEntityDelivery({ kind: 'Resource', namespace: 'default', name: 'a b' }),
    ).resolves.toEqual(fluxDelivery);
    expect(path).toBe('/api/upbound/entities/Resource/default/a%20b/delivery');
  });

  it('posts day-2 operations as JSON', async () => {
    let body: unknown;
    server.use(
      http.post(`${base}/entities/Resource/default/:name/pause`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({ paused: true });
      }),
      http.post(`${base}/entities/Resource/default/:name/reconcile`, () =>
        HttpResponse.json({ requestedAt: '2026-11-20T10:00:00Z' }),
      ),
    );
    await expect(client.setEntityPaused(entity, true)).resolves.toEqual({ paused: true });
    expect(body).toEqual({ paused: true });
    await expect(client.reconcileEntity(entity)).resolves.toEqual({
      requestedAt: '2026-11-20T10:00:00Z',
    });
  });

  it('posts an Argo CD sync with every segment encoded', async () => {
    let path: string | undefined;
    server.use(
      http.post(`${base}/argocd/:instance/applications/:namespace/:name/sync`, ({ request }) => {
        path = new URL(request.url).pathname;
        return HttpResponse.json({ phase: 'Running' });
      }),
    );
    await expect(client.syncArgoApplication('local', 'argocd', 'web claims')).resolves.toEqual({
      phase: 'Running',
    });
    expect(path).toBe('/api/upbound/argocd/local/applications/argocd/web%20claims/sync');
  });

  it('keeps the backend error and its status', async () => {
    server.use(
      http.get(`${base}/controlplanes/:id`, () =>
        HttpResponse.json(
          { error: { name: 'NotAllowedError', message: 'Not allowed' }, response: { statusCode: 403 } },
          { status: 403 },
        ),
      ),
    );
    const error = await client.getControlPlane('direct/x').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.cause.message).toBe('Not allowed');
  });

  it('says how to fix a missing backend plugin', async () => {
    server.use(http.get(`${base}/app-clusters`, () => new HttpResponse('Not Found', { status: 404 })));
    await expect(client.listAppClusters()).rejects.toThrow(/backend plugin .* is installed/);
  });

  it('does not add the install hint to a NotFoundError from the backend', async () => {
    server.use(
      http.get(`${base}/controlplanes/:id`, () =>
        HttpResponse.json(
          { error: { name: 'NotFoundError', message: 'No control plane direct/x' }, response: { statusCode: 404 } },
          { status: 404 },
        ),
      ),
    );
    const error = await client.getControlPlane('direct/x').catch(e => e);
    expect(error.cause.message).toBe('No control plane direct/x');
    expect(error.message).not.toContain('installed');
  });
});
