import { mockServices } from '@backstage/backend-test-utils';
import { KubeClientPool } from '../service/KubeClientPool';
import type { ControlPlane } from '../types';
import { SpaceHubSource } from './SpaceHubSource';

const pool = new KubeClientPool({
  concurrency: 1,
  timeoutMs: 1_000,
  logger: mockServices.logger.mock(),
  now: Date.now,
});

const source = new SpaceHubSource({
  spaces: [
    {
      name: 'local',
      enabled: true,
      hub: { server: 'https://hub.test', token: 'hub-token' },
    },
    {
      name: 'own-token',
      enabled: true,
      hub: { server: 'https://hub-2.test', token: 'hub-token' },
      token: 'space-token',
    },
    {
      name: 'certs',
      enabled: true,
      hub: { server: 'https://hub-3.test', certData: 'C', keyData: 'K' },
    },
    { name: 'off', enabled: false, hub: { server: 'https://hub-4.test' } },
  ],
  pool,
  owners: { label: 'upbound.io/owner', namespaces: {} },
  concurrency: 1,
});

const cp = (space: string) =>
  ({
    id: `space/${space}/default/ctp`,
    space,
    server: `https://${space}.ingress.test/k8s`,
    caData: 'CA',
  } as ControlPlane);

describe('SpaceHubSource', () => {
  it('has one job per enabled Space', async () => {
    expect((await source.jobs()).map(j => j.key)).toEqual([
      'space/local',
      'space/own-token',
      'space/certs',
    ]);
  });

  it("hands out the Space's token, else the hub's, and refuses a Space without one", async () => {
    expect(await source.credentials(cp('local'))).toEqual({
      server: 'https://local.ingress.test/k8s',
      caData: 'CA',
      bearerToken: 'hub-token',
    });
    expect(await source.credentials(cp('own-token'))).toMatchObject({
      bearerToken: 'space-token',
    });
    await expect(source.credentials(cp('certs'))).rejects.toThrow(
      "Space 'certs' has no bearer token to hand off; set upbound.spaces[].token",
    );
  });
});
