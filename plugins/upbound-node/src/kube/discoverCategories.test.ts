import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { DefaultKubeClient } from './DefaultKubeClient';

const SERVER = 'https://mcp.test:6443';
const server = setupServer();
registerMswTestHooks(server);

describe('discovery categories', () => {
  it('keeps the categories Crossplane gives claim, composite and managed types', async () => {
    server.use(
      http.get(`${SERVER}/api`, () =>
        HttpResponse.json({ kind: 'APIGroupDiscoveryList', items: [] }),
      ),
      http.get(`${SERVER}/apis`, () =>
        HttpResponse.json({
          kind: 'APIGroupDiscoveryList',
          items: [
            {
              metadata: { name: 'database.example.org' },
              versions: [
                {
                  version: 'v1alpha1',
                  resources: [
                    {
                      resource: 'postgresqlinstances',
                      responseKind: { kind: 'PostgreSQLInstance' },
                      scope: 'Namespaced',
                      categories: ['claim'],
                    },
                    {
                      resource: 'xpostgresqlinstances',
                      responseKind: { kind: 'XPostgreSQLInstance' },
                      scope: 'Cluster',
                      categories: ['composite'],
                    },
                    {
                      resource: 'plain',
                      responseKind: { kind: 'Plain' },
                      scope: 'Cluster',
                    },
                  ],
                },
              ],
            },
          ],
        }),
      ),
    );
    const client = new DefaultKubeClient({
      clusterId: 'direct/mcp',
      connection: { server: SERVER, token: 't' },
      concurrency: 4,
      timeoutMs: 1000,
      maxRetries: 0,
    });
    const types = await client.resourceTypes();
    const byKind = Object.fromEntries(types.map(t => [t.kind, t]));
    expect(byKind.PostgreSQLInstance.categories).toEqual(['claim']);
    expect(byKind.XPostgreSQLInstance.categories).toEqual(['composite']);
    expect(byKind.Plain).not.toHaveProperty('categories');
  });
});
