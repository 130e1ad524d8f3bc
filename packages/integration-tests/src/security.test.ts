/*
 * Permissions and secrets over every route and every scaffolder action, with the real catalog,
 * permission framework (a policy module with an owner-only conditional decision), Upbound service
 * and local Space. Denied means 403 (or NotAllowedError) and no call to any cluster. Known tokens
 * and kubeconfigs from config must never show up in a response, log line, error or output.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { describeIfLocalSpace, getLocalSpace } from '@internal/local-space';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { claimEntityName, controlPlaneEntityName } from '@upbound-backstage/plugin-upbound-common';
import { DEV_ID, eventually, PROD_ID, spaceConfig } from './lib/harness';
import { runTask, templateEntity } from './lib/scaffolderTasks';
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
  /** Everything a user or log could see, searched for secrets at the end. */
  const seen: string[] = [];
  /** The token a user types into a Secret field (platform/dev's own ingress token). */
  let userToken = '';

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
      // A named credential from config, limited to platform/dev.
      { appCluster: 'app-1', controlPlane: DEV_ID, claimNamespace, releaseName: `it-perm-${suffix}`, gitopsCredential: 'dev-robot' },
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
      { controlPlane: DEV_ID, name: `it-perm-${suffix}`, gitRepository: { url: 'https://example.com/claims.git' }, path: './claims', gitopsCredential: 'dev-robot' },
    ],
    ['upbound:controlplane:kubeconfig', { controlPlane: DEV_ID }],
  ];

  /** The repository's own Argo CD template, as the catalog would read it. */
  const shippedArgoTemplate: Entity = (() => {
    const t = parse(fs.readFileSync(path.join(__dirname, '../../../templates/connect-argocd.yaml'), 'utf8'));
    t.metadata.annotations = {
      'backstage.io/managed-by-location': 'url:https://example.com/templates/connect-argocd.yaml',
      'backstage.io/managed-by-origin-location': 'url:https://example.com/templates/connect-argocd.yaml',
    };
    return t;
  })();
  /** Templates of the pipeline tests: bad input, redaction, a token in a plain parameter. */
  const pipelineTemplates = [
    templateEntity('it-bad-input', [
      {
        action: 'upbound:argocd:connect',
        parameters: ['controlPlane'],
        input: { repoUrl: 'https://example.com/c.git', argocdAuth: 'password' },
      },
    ]),
    templateEntity('it-redaction', [
      {
        id: 'kubeconfig',
        action: 'upbound:controlplane:kubeconfig',
        parameters: ['controlPlane'],
        secrets: { 'credential.token': 'upboundToken' },
      },
      {
        action: 'debug:log',
        input: {
          message: 'secret=${{ secrets.upboundToken }} kubeconfig=${{ steps.kubeconfig.output.kubeconfig }}',
        },
      },
    ]),
    templateEntity('it-plain-token', [
      {
        action: 'upbound:controlplane:kubeconfig',
        parameters: ['controlPlane', 'credential.token'],
      },
    ]),
  ];
  /** Actions whose template hands them the user's Secret field as `credential.token`. */
  const takesSecretToken = new Set(['upbound:argocd:connect', 'upbound:controlplane:kubeconfig']);
  const templateName = (id: string) => `it-${id.replace(/:/g, '-')}`;
  /** One registered template per action; its step input comes from the task's values. */
  const templates = actionInputs().map(([id, input]) =>
    templateEntity(templateName(id), [
      {
        action: id,
        parameters: Object.keys(input).filter(k => k !== 'gitopsCredential'),
        ...(takesSecretToken.has(id) ? { secrets: { 'credential.token': 'upboundToken' } } : {}),
        ...('gitopsCredential' in input
          ? { input: { credential: { gitopsCredential: '${{ parameters.gitopsCredential }}' } } }
          : {}),
      },
    ]),
  );


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
    // A security review setting: no service credential is ever handed out here.
    config.upbound.dangerouslyUseServiceCredential = false;
    userToken = space.tokens.controlPlanes['platform/dev'].ingress;
    const robotToken = space.tokens.controlPlanes['platform/dev'].ingress;
    config.upbound.gitopsCredentials = [
      { name: 'dev-robot', token: robotToken, scope: { controlPlanes: [DEV_ID] } },
    ];
    const kubeTokens = [hubKubeconfig, appKubeconfig]
      .flatMap(k => parse(k).users.map((u: any) => u.user?.token))
      .filter(Boolean);
    // The user's secret and the named credential are handed to clusters on purpose; they must
    // still never show up in a log, an event, an error or a response.
    secrets = [space.tokens.hub, space.tokens.app, prodToken, argoToken, ...kubeTokens, userToken];

    backend = await startSecurityBackend(config, [
      claimEntity(OWNED_CLAIM, CAROL),
      claimEntity('orders-db', 'group:default/payments'),
      // The confused deputy: carol registers an entity she owns that points at orders-db.
      claimEntity('orders-db', CAROL, { name: 'carols-orders-db', url: 'https://example.com/carol.yaml' }),
      ...templates,
      ...pipelineTemplates,
      shippedArgoTemplate,
    ]);
    await backend.upbound.inventory({ refresh: true });
    await eventually(
      async () => {
        const r = await request(backend.server)
          .get(`/api/catalog/entities/by-name/template/default/${templateName('upbound:claim:create')}`)
          .set('Authorization', backend.header(ALICE));
        return r.status === 200 ? true : undefined;
      },
      30_000,
      'the catalog has the templates',
    );
    // The owned claim exists in the control plane, created by an allowed user's task.
    await runActionTask(ALICE, 'upbound:claim:create', {
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
    for (const [id, name] of [
      [DEV_ID, OWNED_CLAIM],
      [DEV_ID, `${OWNED_CLAIM}-dry`],
      [PROD_ID, `${OWNED_CLAIM}-prod`],
    ]) {
      const cp = await backend?.upbound.controlPlane(id).catch(() => undefined);
      if (!cp) continue;
      await cp.client
        .delete(await cp.client.resolve(CLAIM_API, 'PostgreSQLInstance'), name, 'payments')
        .catch(() => {});
    }
    const app = backend?.upbound.appClusters()[0];
    if (app) {
      const del = async (apiVersion: string, kind: string, name: string, ns: string) =>
        app.client.delete(await app.client.resolve(apiVersion, kind), name, ns).catch(() => {});
      const name = `it-perm-${suffix}`;
      await del('argoproj.io/v1alpha1', 'Application', name, 'argocd');
      await del('v1', 'Secret', `upbound-${controlPlaneEntityName({ source: 'space', space: 'local', group: 'platform', name: 'dev' })}`, 'argocd');
      await del('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', name, 'flux-system');
      await del('source.toolkit.fluxcd.io/v1', 'GitRepository', name, 'flux-system');
      await del('v1', 'Secret', `${name}-kubeconfig`, 'flux-system');
    }
    await backend?.stop();
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

  /**
   * Runs an action as `user` through the real scaffolder: a task of its registered template, so
   * the task runner, the input schema validation and the log redaction all run. Records the
   * task's events and log for the secret scan, and throws the task's error when it failed.
   */
  async function runActionTask(user: string, id: string, values: Record<string, unknown>) {
    const result = await runTask(
      backend.server,
      backend.header(user),
      templateName(id),
      values,
      { upboundToken: userToken },
    );
    seen.push(result.raw, ...result.log);
    if (result.status !== 'completed') {
      throw new Error(`${result.status}: ${result.message} ${result.log.join('\n')}`);
    }
    return result;
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

  it('covers every action the scaffolder has registered', async () => {
    const res = await request(backend.server)
      .get('/api/scaffolder/v2/actions')
      .set('Authorization', backend.header(ALICE));
    const ours = (res.body as Array<{ id: string }>).map(a => a.id).filter(id => id.startsWith('upbound:'));
    expect(ours.sort()).toEqual(actionInputs().map(([id]) => id).sort());
  });

  describe.each([
    ['bob (denied)', BOB],
    ['carol (owner-only, group team-a)', CAROL],
  ])('tasks as %s', (_label, user) => {
    it.each(actionInputs())('%s fails with NotAllowedError before any write', async (id, input) => {
      const before = { calls: clusterCalls(), writes: writes() };
      await expect(runActionTask(user, id, input)).rejects.toThrow(
        /failed: .*NotAllowedError|You are not allowed to run this action/,
      );
      // bob is denied outright; carol's group condition is applied to platform/dev first.
      const calls = clusterCalls() - before.calls;
      expect({ outright: user === BOB ? calls : 0, writes: writes() - before.writes }).toEqual({
        outright: 0,
        writes: 0,
      });
    });
  });

  describe('tasks as alice (allowed)', () => {
    // In order: install before uninstall; everything created is removed again at the end.
    it.each(actionInputs())('%s completes', async (id, input) => {
      const result = await runActionTask(ALICE, id, input);
      expect(result.status).toBe('completed');
      // The chosen credential is named in the log; its value never is.
      const credentialLines = result.log.filter(l => /gets|Issued a kubeconfig/.test(l)).join('\n');
      expect(credentialLines).not.toContain(userToken);
    });
  });

  // Why: tests called action handlers directly, so the scaffolder's input validation and secret
  // redaction never ran. These run tasks of registered templates through its task runner.
  describe('the real scaffolder pipeline', () => {
    it('validates action input against its schema before the handler runs', async () => {
      const before = { calls: clusterCalls(), writes: writes() };
      const result = await runTask(backend.server, backend.header(ALICE), 'it-bad-input', {
        controlPlane: DEV_ID,
      });
      seen.push(result.raw, ...result.log);
      expect(result.status).toBe('failed');
      expect(result.message).toMatch(/Invalid input passed to action upbound:argocd:connect/);
      expect(result.message).toMatch(/argocdAuth/);
      expect({ calls: clusterCalls() - before.calls, writes: writes() - before.writes }).toEqual({
        calls: 0,
        writes: 0,
      });
    });

    it('redacts the scaffolder secret and the issued kubeconfig from every log line', async () => {
      const result = await runTask(
        backend.server,
        backend.header(ALICE),
        'it-redaction',
        { controlPlane: DEV_ID },
        { upboundToken: userToken },
      );
      seen.push(result.raw, ...result.log);
      expect(result.status).toBe('completed');
      const logged = result.log.find(l => l.includes('secret='));
      // debug:log printed the secret and the kubeconfig made from it: the task logger replaced
      // the token in both (a later step's logger knows only the task's secrets, which is why the
      // kubeconfig action accepts a scaffolder secret and no named credential).
      expect(logged).toMatch(/secret=\*\*\*/);
      expect(logged).toMatch(/token: \*\*\*/);
      expect(result.raw).not.toContain(userToken);
    });

    it('refuses a token typed into a plain parameter (it would be stored with the task)', async () => {
      const result = await runTask(backend.server, backend.header(ALICE), 'it-plain-token', {
        controlPlane: DEV_ID,
        credential_token: 'typed-into-a-text-field',
      });
      seen.push(result.raw, ...result.log);
      expect(result.status).toBe('failed');
      expect(result.message).toMatch(/credential.token must be a scaffolder secret/);
    });
  });

  it("the shipped Argo CD template runs with a named credential, and without one says how to give one", async () => {
    const values = {
      controlPlane: DEV_ID,
      repoUrl: 'https://example.com/claims.git',
      appName: `it-shipped-${suffix}`,
    };
    const without = await runTask(backend.server, backend.header(ALICE), 'upbound-connect-argocd', values);
    seen.push(without.raw, ...without.log);
    expect(without.status).toBe('failed');
    expect(without.message).toMatch(/No credential for control plane space\/local\/platform\/dev: the backend never hands out its own. Give credential.token: a scaffolder secret/);
    const withCredential = await runTask(backend.server, backend.header(ALICE), 'upbound-connect-argocd', {
      ...values,
      gitopsCredential: 'dev-robot',
    });
    seen.push(withCredential.raw, ...withCredential.log);
    expect(withCredential.status).toBe('completed');
    expect(withCredential.log.join('\n')).toMatch(/Argo CD gets GitOps credential dev-robot/);
    const app = backend.upbound.appClusters()[0];
    await app.client.delete(await app.client.resolve('argoproj.io/v1alpha1', 'Application'), values.appName, 'argocd');
    // The existing-Secret field reaches the action as credential.secretRef (an object).
    const existing = await runTask(backend.server, backend.header(ALICE), 'upbound-connect-argocd', {
      ...values,
      existingSecret: 'no-such-cluster-secret',
    });
    seen.push(existing.raw, ...existing.log);
    expect(existing.message).toMatch(/credential.secretRef: argocd\/no-such-cluster-secret in app cluster app-1 is not an Argo CD cluster Secret/);
  });

  it("carol's group condition lets her act on team-a/prod only", async () => {
    const result = await runActionTask(CAROL, 'upbound:claim:create', {
      ...actionInputs()[0][1],
      controlPlane: PROD_ID,
      name: `${OWNED_CLAIM}-prod`,
    });
    expect(result.status).toBe('completed');
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
