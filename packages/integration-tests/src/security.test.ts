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
import { DEV_ID, eventually, spaceConfig } from './lib/harness';
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

function claimEntity(name: string, claim: string, owner: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      annotations: {
        'backstage.io/managed-by-location': 'url:https://example.com/test',
        'backstage.io/managed-by-origin-location': 'url:https://example.com/test',
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
      claimEntity('owned-claim', OWNED_CLAIM, CAROL),
      claimEntity('others-claim', 'orders-db', 'group:default/payments'),
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
          .get('/api/catalog/entities/by-name/resource/default/owned-claim')
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
  const owned = '/entities/resource/default/owned-claim';
  const others = '/entities/resource/default/others-claim';
  type Route = {
    method: 'get' | 'post';
    path: string;
    query?: Record<string, string>;
    body?: object;
    /** What carol (owner-only) gets. */
    carol: 'allowed' | 'denied';
  };
  const routes = (): Route[] => [
    { method: 'get', path: '/controlplanes', carol: 'allowed' },
    { method: 'get', path: `/controlplanes/${cp}`, carol: 'allowed' },
    { method: 'get', path: `/controlplanes/${cp}/claim-apis`, carol: 'allowed' },
    { method: 'get', path: `/controlplanes/${cp}/claims`, carol: 'allowed' },
    { method: 'get', path: `/controlplanes/${cp}/connections`, carol: 'allowed' },
    { method: 'get', path: `/controlplanes/${cp}/gitops`, carol: 'allowed' },
    { method: 'get', path: `/controlplanes/${cp}/object`, query: { ...ref, name: OWNED_CLAIM }, carol: 'allowed' },
    { method: 'get', path: `/controlplanes/${cp}/graph`, query: { ...ref, name: OWNED_CLAIM }, carol: 'allowed' },
    { method: 'get', path: `/controlplanes/${cp}/events`, query: { ...ref, name: OWNED_CLAIM }, carol: 'allowed' },
    { method: 'post', path: `/controlplanes/${cp}/pause`, body: { ...ref, name: OWNED_CLAIM, paused: false }, carol: 'denied' },
    { method: 'post', path: `/controlplanes/${cp}/reconcile`, body: { ...ref, name: OWNED_CLAIM }, carol: 'denied' },
    { method: 'post', path: '/argocd/local/applications/argocd/some-app/sync', carol: 'denied' },
    { method: 'get', path: '/app-clusters', carol: 'allowed' },
    ...(['target', 'graph', 'events', 'object'] as const).flatMap(r => [
      { method: 'get' as const, path: `${owned}/${r}`, carol: 'allowed' as const },
      { method: 'get' as const, path: `${others}/${r}`, carol: 'denied' as const },
    ]),
    { method: 'post', path: `${owned}/pause`, body: { paused: false }, carol: 'allowed' },
    { method: 'post', path: `${owned}/reconcile`, carol: 'allowed' },
    { method: 'post', path: `${others}/pause`, body: { paused: false }, carol: 'denied' },
    { method: 'post', path: `${others}/reconcile`, carol: 'denied' },
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
        const { res, calls } = await call(user, r);
        const denied =
          user === BOB || (user === CAROL && r.carol === 'denied');
        const argo = r.path.startsWith('/argocd/');
        // Allowed Argo CD syncs fail cleanly: the local Argo CD has no REST API URL configured.
        const outcome = denied
          ? { status: res.status, calls, error: res.body.error?.name }
          : { allowed: res.status !== 403, clientOrOk: argo ? res.status < 500 : res.status === 200 };
        expect(outcome).toEqual(
          denied
            ? { status: 403, calls: 0, error: 'NotAllowedError' }
            : { allowed: true, clientOrOk: true },
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
    it.each(actionInputs())('%s is refused before any cluster call', async (id, input) => {
      const before = clusterCalls();
      await expect(runAction(user, id, input)).rejects.toThrow(/not allowed/i);
      expect(clusterCalls()).toBe(before);
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
