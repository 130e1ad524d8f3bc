/*
 * List routes keep their promised shape when a control plane cannot be read: the failure is an
 * entry of errors[] (so a page shows what it can); single-object routes answer 503 for a control
 * plane that is not serving.
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  KubeError,
  upboundServiceRef,
} from '@upbound-backstage/plugin-upbound-node';
import { createFakeUpboundService } from '@upbound-backstage/plugin-upbound-node/testUtils';
import request from 'supertest';
import { upboundPlugin } from './plugin';

const CTP = 'space/local/platform/ctp-a';

describe('list routes on a control plane that cannot be read', () => {
  const upbound = createFakeUpboundService({
    controlPlanes: [{ name: 'ctp-a', space: 'local', group: 'platform' }],
  });
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        upboundPlugin,
        createServiceFactory({
          service: upboundServiceRef,
          deps: {},
          factory: () => upbound,
        }),
      ],
    });
  });
  afterAll(() => backend.stop());

  const get = (path: string) =>
    request(backend.server)
      .get(`/api/upbound/controlplanes/${encodeURIComponent(CTP)}${path}`)
      .set('Authorization', mockCredentials.user.header());

  it('answers claims, connections and GitOps with errors[] naming the control plane', async () => {
    upbound.client(CTP).setUnreachable(true);
    try {
      const claims = await get('/claims');
      expect(claims.status).toBe(200);
      expect(claims.body).toMatchObject({
        items: [],
        totalCount: 0,
        errors: [{ cluster: CTP, type: 'unreachable' }],
      });
      const connections = await get('/connections');
      expect(connections.status).toBe(200);
      expect(connections.body).toMatchObject({
        connections: [],
        errors: [{ cluster: CTP }],
      });
      const gitops = await get('/gitops');
      expect(gitops.status).toBe(200);
      expect(gitops.body.errors).toEqual(expect.any(Array));
    } finally {
      upbound.client(CTP).setUnreachable(false);
    }
  });

  it('answers 503, not 502, when the Space reports the control plane as not serving', async () => {
    upbound.client(CTP).failNext(
      new KubeError({
        type: 'server-error',
        statusCode: 503,
        cluster: CTP,
        message: `GET /apis on ${CTP} failed with 503: control plane platform/ctp-a is not ready`,
      }),
      5,
    );
    const res = await get('/claim-apis');
    expect(res.status).toBe(503);
    expect(res.body.error.message).toMatch(/is not ready/);
  });

  it('still answers 404 for an unknown control plane', async () => {
    const res = await request(backend.server)
      .get('/api/upbound/controlplanes/space%2Flocal%2Fnope%2Fnope/claims')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(404);
  });
});
