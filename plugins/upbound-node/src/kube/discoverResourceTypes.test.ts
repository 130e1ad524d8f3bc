import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { DefaultKubeClient } from './DefaultKubeClient';

const SERVER = 'https://app.test:6443';
const server = setupServer();
registerMswTestHooks(server);

const client = () =>
  new DefaultKubeClient({
    clusterId: 'app-cluster/app-1',
    connection: { server: SERVER, token: 't' },
    concurrency: 4,
    timeoutMs: 1000,
    maxRetries: 0,
  });

describe('discovery', () => {
  it('reads aggregated discovery and skips stale groups', async () => {
    const accepts: string[] = [];
    server.use(
      http.get(`${SERVER}/api`, ({ request }) => {
        accepts.push(request.headers.get('accept') ?? '');
        return HttpResponse.json({
          kind: 'APIGroupDiscoveryList',
          items: [
            {
              metadata: {},
              versions: [
                {
                  version: 'v1',
                  resources: [
                    {
                      resource: 'configmaps',
                      responseKind: {
                        group: '',
                        version: 'v1',
                        kind: 'ConfigMap',
                      },
                      scope: 'Namespaced',
                    },
                  ],
                },
              ],
            },
          ],
        });
      }),
      http.get(`${SERVER}/apis`, () =>
        HttpResponse.json({
          kind: 'APIGroupDiscoveryList',
          items: [
            {
              metadata: { name: 'storage.example.org' },
              versions: [{ version: 'v1alpha1', freshness: 'Stale' }],
            },
            {
              metadata: { name: 'argoproj.io' },
              versions: [
                {
                  version: 'v1alpha1',
                  freshness: 'Current',
                  resources: [
                    {
                      resource: 'applications',
                      responseKind: { kind: 'Application' },
                      scope: 'Namespaced',
                    },
                  ],
                },
              ],
            },
          ],
        }),
      ),
    );
    const c = client();
    const types = await c.resourceTypes();
    expect(accepts[0]).toContain('as=APIGroupDiscoveryList');
    expect(
      types.map(t => `${t.apiVersion}/${t.kind}/${t.plural}/${t.namespaced}`),
    ).toEqual([
      'v1/ConfigMap/configmaps/true',
      'argoproj.io/v1alpha1/Application/applications/true',
    ]);
    await expect(
      c.resolve('storage.example.org/v1alpha1', 'Bucket'),
    ).rejects.toMatchObject({ type: 'crd-missing' });
    // Cached: a second call makes no request.
    const before = c.stats().total;
    await c.resolve('argoproj.io/v1alpha1', 'Application');
    expect(c.stats().total).toBe(before);
  });

  it('falls back to per-group discovery and tolerates failing APIServices', async () => {
    server.use(
      http.get(`${SERVER}/api`, () =>
        HttpResponse.json({ kind: 'APIVersions', versions: ['v1'] }),
      ),
      http.get(`${SERVER}/api/v1`, () =>
        HttpResponse.json({
          resources: [
            { name: 'namespaces', kind: 'Namespace', namespaced: false },
            { name: 'namespaces/status', kind: 'Namespace', namespaced: false },
          ],
        }),
      ),
      http.get(`${SERVER}/apis`, () =>
        HttpResponse.json({
          kind: 'APIGroupList',
          groups: [
            {
              name: 'storage.example.org',
              versions: [{ version: 'v1alpha1' }],
            },
            {
              name: 'apiextensions.crossplane.io',
              versions: [{ version: 'v2' }, { version: 'v1' }],
            },
          ],
        }),
      ),
      http.get(
        `${SERVER}/apis/storage.example.org/v1alpha1`,
        () => new HttpResponse('service unavailable', { status: 503 }),
      ),
      http.get(
        `${SERVER}/apis/apiextensions.crossplane.io/:version`,
        ({ params }) =>
          HttpResponse.json({
            resources: [
              {
                name: 'compositeresourcedefinitions',
                kind: 'CompositeResourceDefinition',
                namespaced: false,
              },
            ],
            groupVersion: `apiextensions.crossplane.io/${params.version}`,
          }),
      ),
    );
    const types = await client().resourceTypes();
    expect(types.map(t => `${t.apiVersion}/${t.kind}`).sort()).toEqual([
      'apiextensions.crossplane.io/v1/CompositeResourceDefinition',
      'apiextensions.crossplane.io/v2/CompositeResourceDefinition',
      'v1/Namespace',
    ]);
  });

  it('fails when the server itself cannot be reached', async () => {
    server.use(
      http.get(`${SERVER}/api`, () => HttpResponse.error()),
      http.get(`${SERVER}/apis`, () => HttpResponse.error()),
    );
    await expect(client().resourceTypes()).rejects.toMatchObject({
      type: 'unreachable',
    });
  });
});
