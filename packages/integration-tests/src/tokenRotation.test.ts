/*
 * Upbound Cloud's org-scoped tokens expire; the Space ingress then answers 401. Against a fake
 * Upbound Cloud whose ingress forwards to the local Space and revokes every token on `rotate()`,
 * the real access layer must exchange its personal access token again after the 401 and succeed,
 * once for all callers waiting on that token.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { describeIfLocalSpace, getLocalSpace } from '@internal/local-space';
import {
  createUpboundService,
  type DefaultUpboundService,
  type KubeFetch,
} from '@upbound-backstage/plugin-upbound-node';
import https from 'node:https';
import nodeFetch from 'node-fetch';
import { FakeUpboundCloud } from './lib/FakeUpboundCloud';

/** A token shaped like an Upbound personal access token (a JWT with a jti claim). */
function personalAccessToken(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({ jti: 'pat-it-rotation', sub: 'user' })}.sig`;
}

describeIfLocalSpace('Upbound Cloud: a rotated org-scoped token is exchanged again', () => {
  const pat = personalAccessToken();
  let cloud: FakeUpboundCloud;
  let service: DefaultUpboundService;
  let agent: https.Agent;
  const DEV = 'cloud/local/platform/dev';
  const PROD = 'cloud/local/team-a/prod';

  beforeAll(async () => {
    const space = getLocalSpace()!;
    cloud = await FakeUpboundCloud.start({
      organization: 'acme',
      subjectToken: pat,
      ingress: { url: space.state.ingress.url, ca: space.ca, token: space.tokens.hub },
      spaceName: 'local',
    });
    agent = new https.Agent({ ca: cloud.ca, keepAlive: true });
    // Everything is this one server; trust its certificate the way a system CA would be.
    const fetch: KubeFetch = (url, init) =>
      nodeFetch(url, { ...init, agent: url.startsWith(cloud.url) ? agent : init.agent }) as any;
    service = createUpboundService({
      config: mockServices.rootConfig({
        data: {
          upbound: {
            organization: 'acme',
            token: pat,
            endpoints: { api: cloud.url, auth: cloud.url },
          },
        },
      }),
      logger: mockServices.logger.mock(),
      fetch,
    });
  });

  afterAll(async () => {
    service?.stop();
    agent?.destroy();
    await cloud?.stop();
  });

  async function listClaims(id: string): Promise<number> {
    const cp = await service.controlPlane(id);
    const type = await cp.client.resolve('database.example.org/v1alpha1', 'PostgreSQLInstance');
    return (await cp.client.list(type, { namespace: 'payments' })).items.length;
  }

  it('discovers the Cloud Space with one exchange of the personal access token', async () => {
    const { controlPlanes, errors } = await service.inventory({ refresh: true });
    expect(errors).toEqual([]);
    expect(controlPlanes.map(c => c.id)).toEqual(expect.arrayContaining([DEV, PROD]));
    expect(await listClaims(DEV)).toBeGreaterThan(0);
    expect(cloud.exchanges).toBe(1);
    expect(cloud.refused).toBe(0);
  });

  // Why: the 401 -> token re-exchange path had no test.
  it('after a rotation: 401, a new exchange, and the same call succeeds', async () => {
    cloud.rotate();
    expect(await listClaims(DEV)).toBeGreaterThan(0);
    expect(cloud.refused).toBe(1);
    expect(cloud.exchanges).toBe(2);
  });

  it('callers waiting on the rotated token share one exchange', async () => {
    cloud.rotate();
    const counts = await Promise.all([DEV, PROD, DEV, PROD, DEV].map(listClaims));
    counts.forEach(n => expect(n).toBeGreaterThan(0));
    expect(cloud.exchanges).toBe(3);
    expect(cloud.refused).toBeGreaterThanOrEqual(2);
  });
});
