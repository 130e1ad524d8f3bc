import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { KubeClientPool } from '../service/KubeClientPool';
import type { ControlPlane } from '../types';
import { UpboundCloudSource } from './UpboundCloudSource';

const server = setupServer();
registerMswTestHooks(server);

const PAT = `e30.${Buffer.from(JSON.stringify({ jti: 'jti-1' })).toString(
  'base64url',
)}.sig`;

function source(spaces?: string[]) {
  const logger = mockServices.logger.mock();
  return new UpboundCloudSource({
    cloud: {
      enabled: true,
      organization: 'acme',
      token: PAT,
      ...(spaces ? { spaces } : {}),
    },
    endpoints: { api: 'https://api.test', auth: 'https://auth.test' },
    pool: new KubeClientPool({
      concurrency: 1,
      timeoutMs: 1_000,
      logger,
      sleep: async () => {},
      now: Date.now,
    }),
    owners: { label: 'upbound.io/owner', namespaces: {} },
    concurrency: 1,
    timeoutMs: 1_000,
    logger,
    now: Date.now,
    sleep: async () => {},
  });
}

describe('UpboundCloudSource', () => {
  it('has one job per configured Space, without asking the Upbound API', async () => {
    const jobs = await source([
      'upbound-gcp-us-west-1',
      'upbound-aws-us-east-1',
    ]).jobs();
    expect(jobs.map(j => j.key)).toEqual([
      'cloud/upbound-gcp-us-west-1',
      'cloud/upbound-aws-us-east-1',
    ]);
  });

  it('rejects when the Spaces cannot be listed', async () => {
    server.use(
      http.post(
        'https://api.test/v1/login',
        () => new HttpResponse(null, { status: 401 }),
      ),
    );
    await expect(source().jobs()).rejects.toBeDefined();
  });

  it('hands out the org-scoped token with its expiry', async () => {
    server.use(
      http.post(
        'https://auth.test/apis/tokenexchange.upbound.io/v1alpha1/orgscopedtokens',
        () =>
          HttpResponse.json({ access_token: 'org-token', expires_in: 3600 }),
      ),
    );
    const credentials = await source(['s']).credentials({
      id: 'cloud/s/default/prod',
      server: 'https://s.ingress.test/k8s',
    } as ControlPlane);
    expect(credentials).toEqual({
      server: 'https://s.ingress.test/k8s',
      bearerToken: 'org-token',
      expiresAt: expect.any(Date),
    });
  });
});
