import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { KubeClientPool } from '../service/KubeClientPool';
import { argoCdInstances } from './ArgoCdClient';

const server = setupServer();
registerMswTestHooks(server);

const pool = () =>
  new KubeClientPool({
    concurrency: 1,
    timeoutMs: 1_000,
    logger: mockServices.logger.mock(),
    sleep: async () => {},
    now: Date.now,
  });

describe('argoCdInstances', () => {
  it('calls the REST API of an instance with a URL, with its token', async () => {
    const seen: unknown[] = [];
    server.use(
      http.post(
        'https://argocd.test/api/v1/applications/:name/sync',
        async ({ request, params }) => {
          seen.push([
            params.name,
            request.headers.get('authorization'),
            request.headers.get('content-type'),
            await request.json(),
          ]);
          return HttpResponse.json({ metadata: { name: params.name } });
        },
      ),
    );
    const p = pool();
    const [main, local] = argoCdInstances(
      [
        {
          name: 'main',
          appCluster: 'app-1',
          namespace: 'argocd',
          url: 'https://argocd.test',
          token: 'argocd-token',
        },
        {
          name: 'local',
          appCluster: 'app-1',
          namespace: 'argocd',
          appClusterServer: 'https://app-1.test',
        },
      ],
      p,
    );
    expect(
      await main.request!('POST', 'api/v1/applications/web/sync', {
        prune: false,
      }),
    ).toEqual({ metadata: { name: 'web' } });
    expect(seen).toEqual([
      ['web', 'Bearer argocd-token', 'application/json', { prune: false }],
    ]);
    expect(main).toMatchObject({ name: 'main', url: 'https://argocd.test' });
    expect(p.stats()['argocd/main'].byVerb).toEqual({ post: 1 });

    expect(local).toEqual({
      name: 'local',
      appCluster: 'app-1',
      namespace: 'argocd',
      appClusterServer: 'https://app-1.test',
    });
  });
});
