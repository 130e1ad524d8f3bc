import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { KubeClientPool } from '../service/KubeClientPool';
import type { ControlPlane } from '../types';
import { DirectControlPlaneSource } from './DirectControlPlaneSource';

const server = setupServer();
registerMswTestHooks(server);

function source() {
  return new DirectControlPlaneSource({
    controlPlanes: [
      {
        name: 'oss',
        enabled: true,
        connection: { server: 'https://oss.test', token: 'oss-token' },
        owner: 'group:default/platform',
      },
      {
        name: 'down',
        enabled: true,
        connection: { server: 'https://down.test', caData: 'CA' },
      },
      {
        name: 'off',
        enabled: false,
        connection: { server: 'https://off.test' },
      },
    ],
    pool: new KubeClientPool({
      concurrency: 1,
      timeoutMs: 1_000,
      logger: mockServices.logger.mock(),
      sleep: async () => {},
      now: Date.now,
    }),
    owners: {
      label: 'upbound.io/owner',
      namespaces: {},
      default: 'group:default/unknown-team',
    },
  });
}

describe('DirectControlPlaneSource', () => {
  it('has one job per enabled control plane, which stays in the inventory when unreachable', async () => {
    server.use(
      http.get('https://oss.test/version', ({ request }) =>
        request.headers.get('authorization') === 'Bearer oss-token'
          ? HttpResponse.json({ gitVersion: 'v1.33.0' })
          : new HttpResponse(null, { status: 401 }),
      ),
      http.get('https://down.test/version', () => HttpResponse.error()),
    );
    const jobs = await source().jobs();
    expect(jobs.map(j => j.key)).toEqual(['direct/oss', 'direct/down']);
    const [oss] = await jobs[0].discover();
    expect(oss).toMatchObject({
      id: 'direct/oss',
      source: 'direct',
      name: 'oss',
      ready: { state: 'True', reason: 'Reachable' },
      owner: 'group:default/platform',
      server: 'https://oss.test',
    });
    const [down] = await jobs[1].discover();
    expect(down).toMatchObject({
      id: 'direct/down',
      ready: { state: 'False', reason: 'Unreachable' },
      owner: 'group:default/unknown-team',
      caData: 'CA',
    });
  });

  it('hands out the configured token, and refuses a control plane without one', async () => {
    const s = source();
    const cp = (id: string, url: string) =>
      ({ id, server: url } as ControlPlane);
    expect(await s.credentials(cp('direct/oss', 'https://oss.test'))).toEqual({
      server: 'https://oss.test',
      bearerToken: 'oss-token',
    });
    await expect(
      s.credentials(cp('direct/down', 'https://down.test')),
    ).rejects.toThrow(
      "Control plane 'direct/down' is configured without a bearer token; set its token",
    );
  });
});
