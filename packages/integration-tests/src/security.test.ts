/*
 * Permissions and secrets over every route and every scaffolder action, with the real catalog,
 * permission framework (a policy module with an owner-only conditional decision), Upbound service
 * and local Space. Denied means 403 (or NotAllowedError) and no call to any cluster. Known tokens
 * and kubeconfigs from config must never show up in a response, log line, error or output.
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { describeIfLocalSpace, getLocalSpace } from '@internal/local-space';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { claimEntityName } from '@upbound-backstage/plugin-upbound-common';
import { DEV_ID, eventually, PROD_ID, spaceConfig } from './lib/harness';
import {
  ALICE,
  BOB,
  CAROL,
  startSecurityBackend,
  type SecurityBackend,
} from './lib/securityBackend';

const suffix = Date.now().toString(36);
const OWNED_CLAIM = `it-perm-${suffix}`;
const CLAIM_API = 'database.example.org/v1alpha1';

/** The entity name the Upbound provider gives a PostgreSQLInstance claim of platform/dev. */
function providerName(claim: string): string {
  return claimEntityName({
    controlPlaneId: DEV_ID,
    controlPlaneName: 'dev',
    kind: 'PostgreSQLInstance',
    namespace: 'payments',
    name: claim,
  });
}

/**
 * A claim entity as the Upbound provider emits it (its managed-by origin), or, with `origin`, as
 * anyone could register it from a URL.
 */
function claimEntity(claim: string, owner: string, origin?: { name: string; url: string }): Entity {
  const location = origin ? `url:${origin.url}` : `upbound:${DEV_ID}`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: origin?.name ?? providerName(claim),
      annotations: {
        'backstage.io/managed-by-location': location,
        'backstage.io/managed-by-origin-location': origin
          ? location
          : 'upbound:upbound-provider:default',
        'upbound.io/control-plane-id': DEV_ID,
        'upbound.io/api-version': CLAIM_API,
        'upbound.io/kind': 'PostgreSQLInstance',
        'upbound.io/namespace': 'payments',
        'upbound.io/name': claim,
      },
    },
    spec: { type: 'crossplane-claim', owner },
  };
}

describeIfLocalSpace('permissions and secrets over every route and action', () => {
  let backend: SecurityBackend;
  let secrets: string[];
  // Read at collection time: the action inputs below are built then.
  const claimNamespace =
    getLocalSpace()?.state.controlPlanes.find(c => c.connectorClaimNamespace)
      ?.connectorClaimNamespace ?? 'unknown';
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'upbound-it-ws-'));
  /** Everything a user or log could see, searched for secrets at the end. */
  const seen: string[] = [];

  beforeAll(async () => {
    const space = getLocalSpace()!;
    const config = spaceConfig(space);
    const hubKubeconfig = fs.readFileSync(space.state.hub.kubeconfigPath, 'utf8');
    const appKubeconfig = fs.readFileSync(space.state.appCluster.kubeconfigPath, 'utf8');
    const prod = space.controlPlane('team-a/prod');
    const prodToken = space.tokens.controlPlanes['team-a/prod'].admin;
    const argoToken = `argocd-token-${suffix}-do-not-leak`;
    // Inline kubeconfigs and tokens in config: the things that must never leak.
    config.upbound.spaces[0].hub = { kubeconfig: hubKubeconfig };
    config.upbound.spaces[0].token = space.tokens.hub;
    config.upbound.appClusters[0] = {
      ...config.upbound.appClusters[0],
      kubeconfigPath: undefined,
      kubeconfig: appKubeconfig,
    };
    delete config.upbound.appClusters[0].kubeconfigPath;
    config.upbound.controlPlanes = [
      { name: 'prod-direct', url: prod.url, token: prodToken, caData: space.ca },
    ];
    config.upbound.argocd[0].token = argoToken;
    config.upbound.discovery = {
      schedule: { frequency: { minutes: 60 }, timeout: { minutes: 1 } },
    };
    const kubeTokens = [hubKubeconfig, appKubeconfig]
      .flatMap(k => parse(k).users.map((u: any) => u.user?.token))
      .filter(Boolean);
    secrets = [space.tokens.hub, space.tokens.app, prodToken, argoToken, ...kubeTokens];

    backend = await startSecurityBackend(config, [
      claimEntity(OWNED_CLAIM, CAROL),
      claimEntity('orders-db', 'group:default/payments'),
      // The confused deputy: carol registers an entity she owns that points at orders-db.
      claimEntity('orders-db', CAROL, { name: 'carols-orders-db', url: 'https://example.com/carol.yaml' }),
    ]);
    await backend.upbound.inventory({ refresh: true });
    // The owned claim exists in the control plane, created by an allowed user's action.
    await runAction(ALICE, 'upbound:claim:create', {
      controlPlane: DEV_ID,
      apiVersion: CLAIM_API,
      kind: 'PostgreSQLInstance',
      name: OWNED_CLAIM,
      namespace: 'payments',
      parameters: { parameters: { storageGB: 20 } },
    });
    let last = '';
    // Wait until the catalog has processed both entities with their ownership relations.
    await eventually(
      async () => {
        const r = await request(backend.server)
          .get(`/api/catalog/entities/by-name/resource/default/${providerName(OWNED_CLAIM)}`)
          .set('Authorization', backend.header(ALICE));
        last = `${r.status} ${r.text.slice(0, 500)}`;
        return r.status === 200 && r.body.relations?.length ? true : undefined;
      },
      30_000,
      'catalog processed the test entities',
    ).catch(e => {
      const problems = backend.logger.lines.filter(l => l.level !== 'debug' && l.level !== 'info');
      throw new Error(`${e.message}; last answer ${last}; ${problems.map(l => l.text).join('\n')}`);
    });
  });

  afterAll(async () => {
    const cp = await backend?.upbound.controlPlane(DEV_ID);
    if (cp) {
      await cp.client
        .delete(await cp.client.resolve(CLAIM_API, 'PostgreSQLInstance'), OWNED_CLAIM, 'payments')
        .catch(() => {});
    }
    await backend?.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  function clusterCalls(): number {
    return Object.values(backend.upbound.stats()).reduce((n, s) => n + s.total, 0);
  }

  /** Write calls (apply, create, patch, delete) to any cluster so far. */
  function writes(): number {
    return Object.values(backend.upbound.stats()).reduce(
      (n, s) => n + ['apply', 'create', 'patch', 'delete'].reduce((m, v) => m + (s.byVerb[v] ?? 0), 0),
      0,
    );
  }

  async function runAction(
    user: string,
    id: string,
    input: Record<string, unknown>,
    options: { isDryRun?: boolean } = {},
  ) {
    const outputs: Record<string, unknown> = {};
    const logger = mockServices.logger.mock();
    const ctx = {
      ...createMockActionContext({
        input: input as any,
        logger,
        workspacePath: workspace,
      }),
      // createMockActionContext ignores these options, so they are set here.
      getInitiatorCredentials: async () => mockCredentials.user(user),
      isDryRun: options.isDryRun,
      output: (name: string, value: unknown) => {
        outputs[name] = value;
      },
    };
    let error: unknown;
    try {
      await backend.actions.get(id).handler(ctx);
    } catch (e) {
      error = e;
    }
    const logged = Object.values(logger)
      .flatMap((fn: any) => fn?.mock?.calls ?? [])
      .map((args: unknown[]) => JSON.stringify(args, (_k, v) => (v instanceof Error ? `${v.message} ${v.stack}` : v)));
    seen.push(...logged);
    if (error) seen.push(`${String(error)} ${(error as Error).stack ?? ''}`);
    // The kubeconfig action's `kubeconfig` output is the one deliberate hand-off of a credential.
    const visible = { ...outputs };
    if (id === 'upbound:controlplane:kubeconfig') delete visible.kubeconfig;
    seen.push(JSON.stringify(visible));
    if (error) throw error;
    return outputs;
  }

  const ref = { apiVersion: CLAIM_API, kind: 'PostgreSQLInstance', namespace: 'payments' };
  const cp = encodeURIComponent(DEV_ID);
  const owned = `/entities/resource/default/${providerName(OWNED_CLAIM)}`;
  const others = `/entities/resource/default/${providerName('orders-db')}`;
  const forged = '/entities/resource/default/carols-orders-db';
  type Route = {
    method: 'get' | 'post';
    path: string;
    query?: Record<string, string>;
    body?: object;
    /**
     * What carol (owner-only) gets: `denied` before any cluster call, or `refused` (403) after
     * reading what the object belongs to.
     */
    carol: 'allowed' | 'denied' | 'refused';
  };
  const routes = (): Route[] => [
    { method: 'get', path: '/controlplanes', carol: 'allowed' },
    { method: 'get', path: `/controlplanes/${cp}`, carol: 'allowed' },
    { method: 'get', path: `/controlplanes/${cp}/claim-apis`, carol: 'allowed' },
    { method: 'get', path: `/controlplanes/${cp}/claims`, carol: 'allowed' },
    { method: 'get', path: `/controlplanes/${cp}/connections`, carol: 'allowed' },
    { method: 'get', path: `/controlplanes/${cp}/gitops`, carol: 'allowed' },
    // One rule per object: the coordinate routes decide as the entity routes do.
    ...(['object', 'graph', 'events'] as const).flatMap(r => [
      { method: 'get' as const, path: `/controlplanes/${cp}/${r}`, query: { ...ref, name: OWNED_CLAIM }, carol: 'allowed' as const },
      { method: 'get' as const, path: `/controlplanes/${cp}/${r}`, query: { ...ref, name: 'orders-db' }, carol: 'refused' as const },
    ]),
    { method: 'post', path: `/controlplanes/${cp}/pause`, body: { ...ref, name: OWNED_CLAIM, paused: false }, carol: 'allowed' },
    { method: 'post', path: `/controlplanes/${cp}/reconcile`, body: { ...ref, name: OWNED_CLAIM }, carol: 'allowed' },
    { method: 'post', path: `/controlplanes/${cp}/pause`, body: { ...ref, name: 'orders-db', paused: false }, carol: 'refused' },
    { method: 'post', path: `/controlplanes/${cp}/reconcile`, body: { ...ref, name: 'orders-db' }, carol: 'refused' },
    // carol's sync permission is conditional (group team-a): the destination decides, but the local
    // Argo CD has no REST API URL, so everyone who is not denied outright gets 409.
    { method: 'post', path: '/argocd/local/applications/argocd/some-app/sync', carol: 'allowed' },
    { method: 'get', path: '/app-clusters', carol: 'allowed' },
    ...(['target', 'graph', 'events', 'object'] as const).flatMap(r => [
      { method: 'get' as const, path: `${owned}/${r}`, carol: 'allowed' as const },
      { method: 'get' as const, path: `${others}/${r}`, carol: 'denied' as const },
    ]),
    { method: 'post', path: `${owned}/pause`, body: { paused: false }, carol: 'allowed' },
    { method: 'post', path: `${owned}/reconcile`, carol: 'allowed' },
    { method: 'post', path: `${others}/pause`, body: { paused: false }, carol: 'denied' },
    { method: 'post', path: `${others}/reconcile`, carol: 'denied' },
    // carol owns this entity, but orders-db does not name it back: refused with the reason.
    ...(['target', 'graph', 'events', 'object'] as const).map(r => ({
      method: 'get' as const,
      path: `${forged}/${r}`,
      carol: 'refused' as const,
    })),
    { method: 'post', path: `${forged}/pause`, body: { paused: false }, carol: 'refused' },
    { method: 'post', path: `${forged}/reconcile`, carol: 'refused' },
  ];

  async function call(user: string, r: Route) {
    const before = clusterCalls();
    let req = request(backend.server)[r.method](`/api/upbound${r.path}`).set('Authorization', backend.header(user));
    if (r.query) req = req.query(r.query);
    if (r.body) req = req.send(r.body);
    const res = await req;
    seen.push(JSON.stringify(res.headers), res.text);
    return { res, calls: clusterCalls() - before };
  }

  describe.each([
    ['alice (allowed)', ALICE],
    ['bob (denied)', BOB],
    ['carol (owner-only)', CAROL],
  ])('routes as %s', (_label, user) => {
    it.each(routes().map(r => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
      '%s',
      async (_name, r) => {
        const before = writes();
        const { res, calls } = await call(user, r);
        const denied =
          user === BOB || (user === CAROL && r.carol === 'denied');
        const refused = user === CAROL && r.carol === 'refused';
        const argo = r.path.startsWith('/argocd/');
        // Allowed Argo CD syncs fail cleanly: the local Argo CD has no REST API URL configured.
        // Entities from other sources are refused for everyone; a reason names the entity.
        const forgedPath = r.path.startsWith(forged);
        let outcome: object;
        if (denied) outcome = { status: res.status, calls, error: res.body.error?.name };
        else if (refused || forgedPath)
          outcome = { status: res.status, error: res.body.error?.name, writes: writes() - before };
        else outcome = { allowed: res.status !== 403, clientOrOk: argo ? res.status < 500 : res.status === 200 };
        let expected: object = { allowed: true, clientOrOk: true };
        if (denied) expected = { status: 403, calls: 0, error: 'NotAllowedError' };
        else if (refused || forgedPath) expected = { status: 403, error: 'NotAllowedError', writes: 0 };
        expect(outcome).toEqual(expected);
        // A forged entity is refused with the reason (bob is denied before any reason is read).
        expect(forgedPath && !denied ? res.body.error.message : 'n/a').toMatch(
          forgedPath && !denied ? /was not emitted by the Upbound catalog provider/ : /n\/a/,
        );
      },
    );
  });

  it('answers /health without credentials and routes with no credentials with 401', async () => {
    expect((await request(backend.server).get('/api/upbound/health')).status).toBe(200);
    const before = clusterCalls();
    const res = await request(backend.server)
      .get('/api/upbound/controlplanes')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
    expect(clusterCalls()).toBe(before);
  });

  const actionInputs = (): Array<[string, Record<string, unknown>]> => [
    [
      'upbound:claim:create',
      {
        controlPlane: DEV_ID,
        apiVersion: CLAIM_API,
        kind: 'PostgreSQLInstance',
        name: `${OWNED_CLAIM}-dry`,
        namespace: 'payments',
        parameters: { parameters: { storageGB: 20 } },
      },
    ],
    [
      'upbound:connector:install',
      { appCluster: 'app-1', controlPlane: DEV_ID, claimNamespace, releaseName: `it-perm-${suffix}` },
    ],
    [
      'upbound:connector:uninstall',
      { appCluster: 'app-1', controlPlane: DEV_ID, claimNamespace, releaseName: `it-perm-${suffix}`, keepClaims: true },
    ],
    [
      'upbound:argocd:connect',
      { controlPlane: DEV_ID, repoUrl: 'https://example.com/claims.git', path: 'claims', appName: `it-perm-${suffix}` },
    ],
    [
      'upbound:flux:connect',
      { controlPlane: DEV_ID, name: `it-perm-${suffix}`, gitRepository: { url: 'https://example.com/claims.git' }, path: './claims' },
    ],
    ['upbound:controlplane:kubeconfig', { controlPlane: DEV_ID }],
  ];

  it('covers every registered action', () => {
    expect([...backend.actions.keys()].sort()).toEqual(actionInputs().map(([id]) => id).sort());
  });

  describe.each([
    ['bob (denied)', BOB],
    ['carol (owner-only)', CAROL],
  ])('actions as %s', (_label, user) => {
    it.each(actionInputs())('%s is refused before any write', async (id, input) => {
      const before = { calls: clusterCalls(), writes: writes() };
      await expect(runAction(user, id, input)).rejects.toThrow(/not allowed/i);
      // bob is denied outright; carol's group condition is applied to platform/dev first.
      const calls = clusterCalls() - before.calls;
      expect({ outright: user === BOB ? calls : 0, writes: writes() - before.writes }).toEqual({
        outright: 0,
        writes: 0,
      });
    });
  });

  describe('actions as alice (allowed)', () => {
    it.each(actionInputs())('%s runs (dry run)', async (id, input) => {
      const before = clusterCalls();
      const outputs = await runAction(ALICE, id, input, { isDryRun: true });
      expect(outputs).toBeDefined();
      expect(clusterCalls()).toBeGreaterThanOrEqual(before);
    });

    it('upbound:controlplane:kubeconfig hands out a kubeconfig only as its output', async () => {
      const outputs = await runAction(ALICE, 'upbound:controlplane:kubeconfig', { controlPlane: DEV_ID });
      expect(String(outputs.kubeconfig)).toContain('token');
    });
  });

  it("carol's group condition lets her act on team-a/prod only", async () => {
    const outputs = await runAction(
      CAROL,
      'upbound:claim:create',
      { ...actionInputs()[0][1], controlPlane: PROD_ID },
      { isDryRun: true },
    );
    expect(outputs.controlPlane).toBe(PROD_ID);
  });

  it('the permission backend applies control plane conditions to a resourceRef (the sync button)', async () => {
    const ask = async (resourceRef: string) => {
      const res = await request(backend.server)
        .post('/api/permission/authorize')
        .set('Authorization', backend.header(CAROL))
        .send({
          items: [
            {
              id: '1',
              permission: {
                type: 'resource',
                name: 'upbound.gitops.sync',
                attributes: { action: 'update' },
                resourceType: 'upbound-control-plane',
              },
              resourceRef,
            },
          ],
        });
      expect(res.status).toBe(200);
      return res.body.items[0].result;
    };
    expect(await ask(PROD_ID)).toBe('ALLOW');
    expect(await ask(`${PROD_ID}#team-a`)).toBe('ALLOW');
    expect(await ask(DEV_ID)).toBe('DENY');
    expect(await ask('space/local/nope/missing')).toBe('DENY');
  });

  // Runs last: everything above was recorded in `seen` and the backend's log.
  it('never shows a token or kubeconfig in a response, log line, error or output', () => {
    expect(seen.length).toBeGreaterThan(50);
    const texts = [...seen, ...backend.logger.lines.map(l => l.text)];
    expect(backend.logger.lines.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      const leaks = texts.filter(t => t.includes(secret));
      expect(leaks.map(t => t.slice(0, 300))).toEqual([]);
    }
  });
});
