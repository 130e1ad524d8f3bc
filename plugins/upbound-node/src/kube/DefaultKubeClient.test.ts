import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { KubeError } from '../types';
import { DefaultKubeClient } from './DefaultKubeClient';
import { wellKnownTypes } from './wellKnownTypes';

const SERVER =
  'https://mcp.test:6443/apis/spaces.upbound.io/v1beta1/namespaces/default/controlplanes/ctp1/k8s';
const TOKEN = 'static-token-abc';

const server = setupServer();
registerMswTestHooks(server);

const bucketType = {
  group: 'storage.example.org',
  version: 'v1alpha1',
  apiVersion: 'storage.example.org/v1alpha1',
  kind: 'Bucket',
  plural: 'buckets',
  namespaced: true,
};

function makeClient(
  overrides: Partial<ConstructorParameters<typeof DefaultKubeClient>[0]> = {},
) {
  const sleeps: number[] = [];
  const client = new DefaultKubeClient({
    clusterId: 'space/local/default/ctp1',
    connection: { server: SERVER, token: TOKEN },
    concurrency: 4,
    timeoutMs: 2000,
    sleep: async ms => {
      sleeps.push(ms);
    },
    ...overrides,
  });
  return { client, sleeps };
}

const status = (code: number, reason: string, message: string) =>
  HttpResponse.json(
    {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason,
      message,
      code,
    },
    { status: code },
  );

describe('DefaultKubeClient', () => {
  it('follows pages with limit and continue, sending the bearer token', async () => {
    const seen: string[] = [];
    server.use(
      http.get(
        `${SERVER}/apis/storage.example.org/v1alpha1/namespaces/team-a/buckets`,
        ({ request }) => {
          const url = new URL(request.url);
          expect(request.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
          seen.push(
            `${url.searchParams.get('limit')}:${
              url.searchParams.get('continue') ?? ''
            }:${url.searchParams.get('labelSelector')}`,
          );
          const page = Number(url.searchParams.get('continue') ?? 0);
          return HttpResponse.json({
            metadata: {
              resourceVersion: String(100 + page),
              ...(page < 2 ? { continue: String(page + 1) } : {}),
            },
            items: [{ metadata: { name: `b${page}`, namespace: 'team-a' } }],
          });
        },
      ),
    );
    const { client } = makeClient();
    const result = await client.list(bucketType, {
      namespace: 'team-a',
      pageSize: 1,
      labelSelector: 'a=b,c in (d)',
    });
    expect(result.items.map(i => i.metadata?.name)).toEqual(['b0', 'b1', 'b2']);
    expect(result.items[0]).toMatchObject({
      apiVersion: 'storage.example.org/v1alpha1',
      kind: 'Bucket',
    });
    expect(result.resourceVersion).toBe('100');
    expect(seen).toEqual([
      '1::a=b,c in (d)',
      '1:1:a=b,c in (d)',
      '1:2:a=b,c in (d)',
    ]);
    expect(client.stats()).toMatchObject({
      total: 3,
      byVerb: { list: 3 },
      byStatus: { '200': 3 },
      retries: 0,
    });
  });

  it('starts a paged list over when its continue token expired (410)', async () => {
    let calls = 0;
    server.use(
      http.get(`${SERVER}/api/v1/namespaces`, ({ request }) => {
        calls++;
        const cont = new URL(request.url).searchParams.get('continue');
        if (calls === 2)
          return status(
            410,
            'Expired',
            'The provided continue parameter is too old',
          );
        return HttpResponse.json({
          metadata: {
            resourceVersion: '5',
            ...(cont ? {} : { continue: 'c1' }),
          },
          items: [{ metadata: { name: cont ? 'b' : 'a' } }],
        });
      }),
    );
    const { client } = makeClient();
    const result = await client.list(wellKnownTypes.namespace, { pageSize: 1 });
    expect(result.items.map(i => i.metadata?.name)).toEqual(['a', 'b']);
    expect(calls).toBe(4);
  });

  it('encodes every path segment', async () => {
    let path = '';
    server.use(
      http.get(
        `${SERVER}/api/v1/namespaces/:ns/configmaps/:name`,
        ({ request }) => {
          path = new URL(request.url).pathname;
          return HttpResponse.json({ metadata: { name: 'x' } });
        },
      ),
    );
    const { client } = makeClient();
    await client.get(wellKnownTypes.configMap, 'a b/c', 'ns?x');
    expect(
      path.endsWith('/api/v1/namespaces/ns%3Fx/configmaps/a%20b%2Fc'),
    ).toBe(true);
  });

  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [409, 'conflict'],
    [410, 'gone'],
    [422, 'invalid'],
  ] as const)('maps %d to %s', async (code, type) => {
    server.use(
      http.get(`${SERVER}/api/v1/namespaces/ns/configmaps/x`, () =>
        status(code, 'X', 'server says no'),
      ),
    );
    const { client } = makeClient();
    const err = await client
      .get(wellKnownTypes.configMap, 'x', 'ns')
      .catch(e => e);
    expect(err).toBeInstanceOf(KubeError);
    expect(err).toMatchObject({
      type,
      statusCode: code,
      cluster: 'space/local/default/ctp1',
    });
    expect(err.message).toContain(
      'GET /api/v1/namespaces/ns/configmaps/x on space/local/default/ctp1 failed',
    );
    expect(err.message).toContain('server says no');
    expect(err.message).not.toContain(TOKEN);
  });

  it('tells a missing object from a missing CRD', async () => {
    server.use(
      http.get(`${SERVER}/api/v1/namespaces/ns/configmaps/x`, () =>
        status(404, 'NotFound', 'configmaps "x" not found'),
      ),
      http.get(
        `${SERVER}/apis/storage.example.org/v1alpha1/buckets`,
        () => new HttpResponse('404 page not found', { status: 404 }),
      ),
      http.get(`${SERVER}/api`, () =>
        HttpResponse.json({ kind: 'APIVersions', versions: ['v1'] }),
      ),
      http.get(`${SERVER}/api/v1`, () =>
        HttpResponse.json({
          resources: [
            { name: 'configmaps', kind: 'ConfigMap', namespaced: true },
          ],
        }),
      ),
      http.get(`${SERVER}/apis`, () =>
        HttpResponse.json({ kind: 'APIGroupList', groups: [] }),
      ),
    );
    const { client } = makeClient();
    await expect(
      client.get(wellKnownTypes.configMap, 'x', 'ns'),
    ).rejects.toMatchObject({ type: 'not-found' });
    expect(
      await client.tryGet(wellKnownTypes.configMap, 'x', 'ns'),
    ).toBeUndefined();
    const err = await client.list(bucketType).catch(e => e);
    expect(err).toMatchObject({ type: 'crd-missing' });
    expect(err.message).toContain('is its CRD installed?');
  });

  it('retries 429 honouring Retry-After, and 5xx on reads', async () => {
    let calls = 0;
    server.use(
      http.get(`${SERVER}/api/v1/namespaces`, () => {
        calls++;
        if (calls === 1)
          return new HttpResponse('slow down', {
            status: 429,
            headers: { 'Retry-After': '2' },
          });
        if (calls === 2) return new HttpResponse('oops', { status: 503 });
        return HttpResponse.json({
          metadata: { resourceVersion: '1' },
          items: [],
        });
      }),
    );
    const { client, sleeps } = makeClient();
    await client.list(wellKnownTypes.namespace);
    expect(calls).toBe(3);
    expect(sleeps[0]).toBe(2000);
    expect(sleeps[1]).toBeGreaterThan(0);
    expect(client.stats()).toMatchObject({
      total: 3,
      retries: 2,
      byStatus: { '429': 1, '503': 1, '200': 1 },
    });
  });

  it('gives up after the retry budget with a server-error', async () => {
    server.use(
      http.get(
        `${SERVER}/api/v1/namespaces`,
        () => new HttpResponse('oops', { status: 500 }),
      ),
    );
    const { client } = makeClient({ maxRetries: 2 });
    await expect(client.list(wellKnownTypes.namespace)).rejects.toMatchObject({
      type: 'server-error',
      statusCode: 500,
    });
    expect(client.stats().total).toBe(3);
  });

  it('does not retry 5xx on POST', async () => {
    let calls = 0;
    server.use(
      http.post(`${SERVER}/api/v1/namespaces`, () => {
        calls++;
        return new HttpResponse('oops', { status: 500 });
      }),
    );
    const { client } = makeClient();
    await expect(
      client.transport.requestJson({
        method: 'POST',
        path: '/api/v1/namespaces',
        verb: 'create',
        body: '{}',
      }),
    ).rejects.toMatchObject({ type: 'server-error' });
    expect(calls).toBe(1);
  });

  it('maps network failures and timeouts', async () => {
    server.use(
      http.get(`${SERVER}/api/v1/namespaces`, () => HttpResponse.error()),
      http.get(`${SERVER}/api/v1/secrets`, async () => {
        await new Promise(r => setTimeout(r, 300));
        return HttpResponse.json({ items: [] });
      }),
    );
    const { client } = makeClient({ maxRetries: 0, timeoutMs: 50 });
    await expect(client.list(wellKnownTypes.namespace)).rejects.toMatchObject({
      type: 'unreachable',
    });
    const err = await client.list({ ...wellKnownTypes.secret }).catch(e => e);
    expect(err).toMatchObject({ type: 'timeout' });
    expect(err.message).toContain('timed out after 50 ms');
  });

  it('limits concurrent calls per cluster', async () => {
    let active = 0;
    let peak = 0;
    server.use(
      http.get(`${SERVER}/api/v1/namespaces/:name`, async ({ params }) => {
        active++;
        peak = Math.max(peak, active);
        await new Promise(r => setTimeout(r, 20));
        active--;
        return HttpResponse.json({ metadata: { name: params.name } });
      }),
    );
    const { client } = makeClient({ concurrency: 2 });
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        client.get(wellKnownTypes.namespace, `n${i}`),
      ),
    );
    expect(peak).toBe(2);
    expect(client.stats().byVerb.get).toBe(8);
  });

  it('applies server-side with field manager, force and dry run; merge-patches and deletes', async () => {
    const requests: Array<{
      method: string;
      url: string;
      type: string | null;
      body: string;
    }> = [];
    const record = async ({ request }: { request: Request }) => {
      requests.push({
        method: request.method,
        url: request.url,
        type: request.headers.get('content-type'),
        body: await request.text(),
      });
      return HttpResponse.json({ metadata: { name: 'b1' } });
    };
    server.use(
      http.get(`${SERVER}/api`, () =>
        HttpResponse.json({ kind: 'APIVersions', versions: ['v1'] }),
      ),
      http.get(`${SERVER}/api/v1`, () => HttpResponse.json({ resources: [] })),
      http.get(`${SERVER}/apis`, () =>
        HttpResponse.json({
          kind: 'APIGroupList',
          groups: [
            {
              name: 'storage.example.org',
              versions: [{ version: 'v1alpha1' }],
            },
          ],
        }),
      ),
      http.get(`${SERVER}/apis/storage.example.org/v1alpha1`, () =>
        HttpResponse.json({
          resources: [
            { name: 'buckets', kind: 'Bucket', namespaced: true },
            { name: 'buckets/status', kind: 'Bucket', namespaced: true },
          ],
        }),
      ),
      http.patch(
        `${SERVER}/apis/storage.example.org/v1alpha1/namespaces/team-a/buckets/b1`,
        record,
      ),
      http.delete(
        `${SERVER}/apis/storage.example.org/v1alpha1/namespaces/team-a/buckets/b1`,
        record,
      ),
    );
    const { client } = makeClient();
    const obj = {
      apiVersion: 'storage.example.org/v1alpha1',
      kind: 'Bucket',
      metadata: { name: 'b1', namespace: 'team-a' },
      spec: {},
    };
    await client.apply(obj, {
      fieldManager: 'backstage-upbound',
      force: true,
      dryRun: true,
    });
    await client.mergePatch(bucketType, 'b1', 'team-a', {
      metadata: { annotations: { a: 'b' } },
    });
    await client.delete(bucketType, 'b1', 'team-a', { dryRun: true });
    expect(requests[0]).toMatchObject({
      method: 'PATCH',
      type: 'application/apply-patch+yaml',
    });
    expect(new URL(requests[0].url).search).toBe(
      '?fieldManager=backstage-upbound&force=true&dryRun=All',
    );
    expect(JSON.parse(requests[0].body)).toEqual(obj);
    expect(requests[1]).toMatchObject({
      method: 'PATCH',
      type: 'application/merge-patch+json',
    });
    expect(requests[2].method).toBe('DELETE');
    expect(new URL(requests[2].url).search).toBe('?dryRun=All');
    await expect(
      client.apply({ ...obj, metadata: { name: 'b1' } }, { fieldManager: 'x' }),
    ).rejects.toMatchObject({ type: 'invalid' });
  });
});
