/*
 * One authorization rule per object, entities the provider did not emit, names that cannot escape,
 * and Argo CD syncs limited to control planes. Each case failed before the rule it tests existed.
 */
import request from 'supertest';
import {
  AuthorizeResult,
  type Permission,
} from '@backstage/plugin-permission-common';
import {
  createUpboundControlPlaneConditionalDecision,
  upboundControlPlaneConditions,
} from '@upbound-backstage/plugin-upbound-node';
import { upboundGitOpsSyncPermission } from '@upbound-backstage/plugin-upbound-common';
import { cpId } from './__testUtils__/crossplaneFixtures';
import { createTestSetup } from './__testUtils__/testBackend';

const cp = encodeURIComponent(cpId);
const api = '/api/upbound';
const claim = {
  apiVersion: 'platform.example.org/v1alpha1',
  kind: 'Database',
  namespace: 'team-a',
  name: 'db-1',
};
const composite = {
  apiVersion: 'platform.example.org/v1alpha1',
  kind: 'XDatabase',
  name: 'db-1-x7k2p',
};
const managed = {
  apiVersion: 'rds.aws.upbound.io/v1beta1',
  kind: 'Instance',
  name: 'db-1-x7k2p-rds',
};

/**
 * An owner-only policy as a reviewer would write it: claim permissions are conditional, and the
 * conditions deny team-a/db-1's entity (whatever name it is reached under) and allow the rest.
 */
function ownerOnly(deniedEntity = /^resource:default\/ctp-a-team-a-db-1/) {
  return {
    decideConditional: (p: Permission) =>
      ({
        result: p.name.startsWith('upbound.claim.')
          ? AuthorizeResult.CONDITIONAL
          : AuthorizeResult.ALLOW,
      } as any),
    decide: (p: Permission, ref?: string) =>
      p.name.startsWith('upbound.claim.') && ref && deniedEntity.test(ref)
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
  };
}

describe('one authorization rule per object', () => {
  // Why: /controlplanes/:id/object|graph|events needed only upbound.controlplane.read, so a user
  // denied a claim through the entity routes read it through the control plane routes.
  it.each([
    ['object', claim],
    ['graph', claim],
    ['events', claim],
    ['object', composite],
    ['graph', composite],
    ['object', managed],
    ['events', managed],
  ])(
    'GET /controlplanes/:id/%s of %o is denied like the claim entity',
    async (route, ref) => {
      const { server } = await createTestSetup(ownerOnly());
      const viaEntity = await request(server).get(
        `${api}/entities/resource/default/ctp-a-team-a-db-1/graph`,
      );
      expect(viaEntity.status).toBe(403);
      const res = await request(server)
        .get(`${api}/controlplanes/${cp}/${route}`)
        .query(ref);
      expect({ status: res.status, error: res.body.error?.name }).toEqual({
        status: 403,
        error: 'NotAllowedError',
      });
    },
  );

  it('allows the same reads when the claim entity is allowed', async () => {
    const { server } = await createTestSetup(
      ownerOnly(/^resource:default\/nothing$/),
    );
    for (const ref of [claim, composite, managed]) {
      const res = await request(server)
        .get(`${api}/controlplanes/${cp}/object`)
        .query(ref);
      expect(res.status).toBe(200);
    }
  });

  it.each(['pause', 'reconcile'])(
    'POST /controlplanes/:id/%s of a denied claim is 403 and patches nothing',
    async route => {
      const { server, cpClient } = await createTestSetup(ownerOnly());
      const res = await request(server)
        .post(`${api}/controlplanes/${cp}/${route}`)
        .send({ ...claim, paused: true });
      expect(res.status).toBe(403);
      expect(cpClient.calls.filter(c => c.method === 'mergePatch')).toEqual([]);
    },
  );

  it('lists only the claims whose entities the caller may read', async () => {
    const { server } = await createTestSetup(ownerOnly());
    const res = await request(server).get(`${api}/controlplanes/${cp}/claims`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((c: any) => c.name)).toEqual(['cache-1']);
    expect(res.body.totalCount).toBe(1);
  });
});

describe('entities the Upbound provider did not emit', () => {
  // Why: anyone who can register an entity could point it at another team's claim, own it, and
  // read, pause or reconcile that claim through the entity routes.
  it.each([
    ['get', 'target'],
    ['get', 'graph'],
    ['get', 'events'],
    ['get', 'object'],
    ['post', 'pause'],
    ['post', 'reconcile'],
  ] as const)(
    "%s /entities/.../%s of an entity pointing at another team's claim is 403 with the reason",
    async (method, route) => {
      const { server, cpClient } = await createTestSetup();
      const res = await request(server)
        [method](`${api}/entities/resource/default/not-really-db-1/${route}`)
        .send({ paused: true });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(
        /resource:default\/not-really-db-1 was not emitted by the Upbound catalog provider, and Database team-a\/db-1 in space\/local\/platform\/ctp-a does not name it in its upbound.io\/entity-ref annotation/,
      );
      expect(cpClient.calls.filter(c => c.method === 'mergePatch')).toEqual([]);
    },
  );

  it('acts for such an entity when the object names it back', async () => {
    const { server, cpClient } = await createTestSetup();
    const path = `${api}/entities/resource/default/cache-1-from-git/graph`;
    expect((await request(server).get(path)).status).toBe(403);
    const app = cpClient.all().find(o => o.metadata?.name === 'cache-1')!;
    app.metadata!.annotations = {
      'upbound.io/entity-ref': 'resource:default/cache-1-from-git',
    };
    cpClient.upsert(app);
    const res = await request(server).get(path);
    expect(res.status).toBe(200);
    expect(res.body.nodes[0].name).toBe('cache-1');
  });
});

describe('names that cannot escape', () => {
  // Why: route names were only checked as non-empty; `..` survived encoding and was normalised
  // away by the URL parser, so a merge patch could land on another object.
  it.each([
    ['post', 'pause', { ...claim, name: '..', paused: true }],
    ['post', 'reconcile', { ...claim, name: '..' }],
    ['post', 'reconcile', { ...claim, name: '.' }],
    ['post', 'reconcile', { ...claim, namespace: '..' }],
    ['post', 'reconcile', { ...claim, apiVersion: '../../v1' }],
    ['post', 'reconcile', { ...claim, kind: '../Secret' }],
  ] as const)(
    '%s /controlplanes/:id/%s with %o is 400 and patches nothing',
    async (method, route, body) => {
      const { server, clusterCalls } = await createTestSetup();
      const res = await request(server)
        [method](`${api}/controlplanes/${cp}/${route}`)
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(clusterCalls()).toBe(0);
    },
  );

  it.each(['object', 'graph', 'events'])(
    'GET /controlplanes/:id/%s refuses `..` names',
    async route => {
      const { server, clusterCalls } = await createTestSetup();
      const res = await request(server)
        .get(`${api}/controlplanes/${cp}/${route}`)
        .query({ ...claim, name: '..' });
      expect(res.status).toBe(400);
      expect(clusterCalls()).toBe(0);
    },
  );

  it('refuses `..` in entity node queries', async () => {
    const { server } = await createTestSetup();
    const res = await request(server)
      .get(`${api}/entities/resource/default/ctp-a-team-a-db-1/object`)
      .query({
        nodeApiVersion: 'v1',
        nodeKind: 'ConfigMap',
        nodeNamespace: 'team-a',
        nodeName: '..',
      });
    expect(res.status).toBe(400);
  });

  // Why: /graph did not refuse Secrets as /object does.
  it('refuses Secrets on /graph and /events like /object, before any cluster call', async () => {
    const { server, clusterCalls } = await createTestSetup();
    for (const route of ['object', 'graph', 'events']) {
      const res = await request(server)
        .get(`${api}/controlplanes/${cp}/${route}`)
        .query({
          apiVersion: 'v1',
          kind: 'Secret',
          namespace: 'team-a',
          name: 'db-1-conn',
        });
      expect({ route, status: res.status }).toEqual({ route, status: 400 });
    }
    expect(clusterCalls()).toBe(0);
  });
});

describe('Argo CD syncs', () => {
  const sync = (name: string) =>
    `${api}/argocd/main/applications/argocd/${name}/sync`;

  // Why: a sync was not limited to Applications that deploy into a control plane.
  it('refuses an Application that deploys anywhere but a control plane', async () => {
    const { server, argoRequest } = await createTestSetup();
    const res = await request(server).post(sync('elsewhere'));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(
      /does not deploy into a control plane known to Backstage/,
    );
    expect(argoRequest).not.toHaveBeenCalled();
  });

  it('decides a conditional policy on the destination control plane', async () => {
    const inGroup = (groups: string[]) => ({
      decideConditional: (p: Permission) =>
        p.name === upboundGitOpsSyncPermission.name
          ? createUpboundControlPlaneConditionalDecision(
              upboundGitOpsSyncPermission,
              upboundControlPlaneConditions.isInGroup({ groups }),
            )
          : ({ result: AuthorizeResult.ALLOW } as any),
    });
    const denied = await createTestSetup(inGroup(['team-b']));
    const res = await request(denied.server).post(sync('claims-team-a'));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain(
      `upbound.gitops.sync for ${cpId}#team-a`,
    );
    expect(denied.argoRequest).not.toHaveBeenCalled();

    const allowed = await createTestSetup(inGroup(['platform']));
    expect(
      (await request(allowed.server).post(sync('claims-team-a'))).status,
    ).toBe(200);
    expect((await request(allowed.server).post(sync('by-server'))).status).toBe(
      200,
    );
    expect(allowed.argoRequest).toHaveBeenCalledTimes(2);
  });

  it('refuses names that are not DNS names', async () => {
    const { server, argoRequest } = await createTestSetup();
    const res = await request(server).post(
      `${api}/argocd/main/applications/argocd/..%2F..%2Fx/sync`,
    );
    expect(res.status).toBe(400);
    expect(argoRequest).not.toHaveBeenCalled();
  });
});
