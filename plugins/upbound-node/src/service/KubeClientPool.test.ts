import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { KubeClientPool } from './KubeClientPool';

const server = setupServer();
registerMswTestHooks(server);

function pool() {
  return new KubeClientPool({
    concurrency: 2,
    timeoutMs: 1_000,
    logger: mockServices.logger.mock(),
    sleep: async () => {},
    now: Date.now,
  });
}

describe('KubeClientPool', () => {
  it('keeps one client per cluster id, server and CA', () => {
    const p = pool();
    const a = p.client('direct/a', { server: 'https://a.test' });
    expect(p.client('direct/a', { server: 'https://a.test' })).toBe(a);
    // A moved server or a new CA gets a new client.
    expect(p.client('direct/a', { server: 'https://b.test' })).not.toBe(a);
    expect(
      p.client('direct/a', { server: 'https://a.test', caData: 'CA' }),
    ).not.toBe(a);
  });

  it('counts the calls of its clients and transports by cluster id', async () => {
    server.use(
      http.get('https://a.test/version', () => HttpResponse.json({})),
      http.get('https://argocd.test/api/v1/applications', () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    const p = pool();
    const client = p.client('direct/a', { server: 'https://a.test' });
    const transport = p.transport({
      clusterId: 'argocd/main',
      connection: { server: 'https://argocd.test' },
    });
    await client.transport.requestJson({
      method: 'GET',
      path: '/version',
      verb: 'get',
    });
    await transport.requestJson({
      method: 'GET',
      path: '/api/v1/applications',
      verb: 'get',
    });
    await transport.requestJson({
      method: 'GET',
      path: '/api/v1/applications',
      verb: 'get',
    });
    const stats = p.stats();
    expect(stats['direct/a'].total).toBe(1);
    expect(stats['argocd/main']).toMatchObject({
      total: 2,
      byVerb: { get: 2 },
    });
  });
});
