import { createMockDirectory } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { controlPlaneEntityName } from '@upbound-backstage/plugin-upbound-common';
import { KubeError } from '@upbound-backstage/plugin-upbound-node';
import { createUpboundControlPlaneConditionalDecision, upboundControlPlaneConditions } from '@upbound-backstage/plugin-upbound-node';
import { upboundConnectionManagePermission } from '@upbound-backstage/plugin-upbound-common';
import {
  actionContext,
  permissionsAnswering,
  permissionsDeciding,
  ROBOT_TOKEN,
  testHandoff,
} from '../__testUtils__/context';
import {
  CP_CA,
  CP_ID,
  CP_SERVER,
  CP_TOKEN,
  createFakeUpbound,
} from '../__testUtils__/fakeUpbound';
import { createArgoCdConnectAction } from './argocdConnect';

const input = {
  controlPlane: CP_ID,
  repoUrl: 'https://github.com/acme/platform-claims.git',
  path: 'claims',
  revision: 'main',
  appName: 'ctp-a-claims',
  credential: { gitopsCredential: 'ctp-a-robot' },
};

function setup(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  handoff = testHandoff(),
) {
  const fake = createFakeUpbound();
  const action = createArgoCdConnectAction({
    upbound: fake.service,
    permissions: permissionsAnswering(result),
    handoff,
  });
  return { ...fake, action };
}

const decode = (v: string) => Buffer.from(v, 'base64').toString('utf8');

describe('upbound:argocd:connect', () => {
  const mockDir = createMockDirectory();
  beforeEach(() => mockDir.clear());

  it('creates the cluster Secret, merges the tracking key and creates the Application', async () => {
    const { action, app } = setup();
    const { ctx, outputs, logText } = actionContext(input);
    await action.handler(ctx as any);

    const secret = app.all().find(o => o.kind === 'Secret')! as any;
    expect(secret.metadata?.namespace).toBe('argocd');
    expect(secret.metadata?.labels).toEqual({
      'argocd.argoproj.io/secret-type': 'cluster',
      'app.kubernetes.io/managed-by': 'backstage-upbound',
    });
    expect(decode(secret.data.server)).toBe(CP_SERVER);
    expect(JSON.parse(decode(secret.data.config))).toEqual({
      bearerToken: ROBOT_TOKEN,
      tlsClientConfig: { insecure: false, caData: Buffer.from(CP_CA).toString('base64') },
    });

    const cm = app.all().find(o => o.kind === 'ConfigMap')!;
    expect(cm.data).toEqual({
      url: 'https://argocd.example.com',
      'resource.respectRBAC': 'normal',
      'application.resourceTrackingMethod': 'annotation',
    });

    const application = app.all().find(o => o.kind === 'Application')!;
    expect(application.spec).toEqual({
      project: 'default',
      source: expect.objectContaining({
        repoURL: 'https://github.com/acme/platform-claims.git',
        path: 'claims',
        targetRevision: 'main',
      }),
      destination: { server: CP_SERVER },
      syncPolicy: { automated: { prune: false, selfHeal: true } },
    });
    expect(outputs).toMatchObject({
      applicationName: 'ctp-a-claims',
      applicationNamespace: 'argocd',
      server: CP_SERVER,
    });
    expect(logText()).not.toContain(ROBOT_TOKEN);
    expect(logText()).toContain('Argo CD gets GitOps credential ctp-a-robot');
  });

  it('reads sub-folders by default, since claims are written as <path>/<namespace>/<name>.yaml', async () => {
    const { action, app } = setup();
    await action.handler(actionContext(input).ctx as any);
    const application = app.all().find(o => o.kind === 'Application')! as any;
    expect(application.spec.source.directory).toEqual({ recurse: true });
    expect(application.metadata.finalizers).toBeUndefined();

    const other = setup();
    await other.action.handler(
      actionContext({ ...input, recurse: false, deleteWithApplication: true }).ctx as any,
    );
    const flat = other.app.all().find(o => o.kind === 'Application')! as any;
    expect(flat.spec.source.directory).toBeUndefined();
    expect(flat.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
  });

  it('is idempotent', async () => {
    const { action, app } = setup();
    await action.handler(actionContext(input).ctx as any);
    const before = app.all();
    const second = actionContext(input);
    await action.handler(second.ctx as any);
    expect(app.all()).toEqual(before);
    expect(second.logText()).toContain('already uses annotation resource tracking');
  });

  it('refuses to change another tracking method unless told to', async () => {
    const { action, app } = setup();
    app.upsert({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'argocd-cm', namespace: 'argocd' },
      data: { 'application.resourceTrackingMethod': 'label' },
    });
    await expect(action.handler(actionContext(input).ctx as any)).rejects.toThrow(
      /sets application.resourceTrackingMethod: label/,
    );
    expect(app.writes).toEqual([]);
    await action.handler(actionContext({ ...input, overrideTrackingMethod: true }).ctx as any);
    expect(app.all().find(o => o.kind === 'ConfigMap')!.data).toEqual({
      'application.resourceTrackingMethod': 'annotation',
    });
  });

  it('refuses a cluster Secret that exists but belongs to someone else', async () => {
    const { action, app } = setup();
    const name = `upbound-${controlPlaneEntityName({ source: 'space', space: 'local', group: 'platform', name: 'ctp-a' })}`;
    app.upsert({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'argocd' } });
    await expect(action.handler(actionContext(input).ctx as any)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(`Secret argocd/${name} in app cluster app-1 already exists and was not created by Backstage`),
    });
    expect(app.writes).toEqual([]);
  });

  it('rolls back what it created when a later object fails, and says so', async () => {
    const { action, app } = setup();
    app.failWhen(c =>
      c.method === 'apply' && c.kind === 'Application'
        ? new KubeError({ type: 'forbidden', statusCode: 403, cluster: 'app-cluster/app-1', message: 'applications is forbidden' })
        : undefined,
    );
    const before = app.all();
    const err = await action.handler(actionContext(input).ctx as any).catch(e => e);
    expect(err.message).toMatch(/Failed to apply Application argocd\/ctp-a-claims in app cluster app-1/);
    expect(err.message).toMatch(/created by this run: Secret argocd\/upbound-[a-z0-9-]+ in app cluster app-1/);
    expect(err.message).toMatch(/rolled back: removed our fields from ConfigMap argocd\/argocd-cm in app cluster app-1, deleted Secret/);
    expect(err.message).toMatch(/applications is forbidden/);
    expect(err.message).not.toContain(ROBOT_TOKEN);
    expect(app.all().map(o => [o.kind, o.metadata?.name, (o as any).data])).toEqual(
      before.map(o => [o.kind, o.metadata?.name, (o as any).data]),
    );
  });

  it('refuses bad input before any write', async () => {
    const { action, app } = setup();
    for (const [override, message] of [
      [{ appName: 'Bad_Name' }, /Invalid appName/],
      [{ argocdInstance: 'other' }, /Unknown argocdInstance 'other'/],
      [{ repoUrl: 'file:///etc' }, /Invalid repoUrl/],
      [{ repoUrl: 'http://git.example.com/claims.git' }, /only https:\/\/ and ssh:\/\//],
      [{ repoUrl: 'git@github.com:acme/claims.git' }, /Invalid repoUrl/],
      [{ repoUrl: 'https://user:pw@github.com/acme/claims.git' }, /credentials in the URL/],
      [{ destinationNamespace: 'NO' }, /Invalid destinationNamespace/],
      [{ appName: '..' }, /Invalid appName/],
      [{ project: '..' }, /Invalid project/],
      [{ credential: { token: 'typed-into-a-plain-field' } }, /must be a scaffolder secret/],
      [{ credential: { gitopsCredential: 'nope' } }, /Unknown credential.gitopsCredential 'nope'; configured: ctp-a-robot, team-b-robot/],
      [{ credential: { gitopsCredential: 'team-b-robot' } }, /may not be used for control plane space\/local\/platform\/ctp-a: it is limited to groups team-b/],
      [{ credential: { gitopsCredential: 'ctp-a-robot', secretRef: { name: 'x' } } }, /Give one credential/],
      [{ argocdAuth: 'execProvider' }, /works for Upbound Cloud control planes only/],
    ] as const) {
      await expect(
        action.handler(actionContext({ ...input, ...override }).ctx as any),
      ).rejects.toMatchObject({ name: 'InputError', message: expect.stringMatching(message) });
    }
    expect(app.writes).toEqual([]);
  });

  it('uses a scaffolder secret as the bearer token', async () => {
    const { action, app } = setup();
    await action.handler(
      actionContext(
        { ...input, credential: { token: 'pat-from-user' } },
        { secrets: { upboundToken: 'pat-from-user' } },
      ).ctx as any,
    );
    const secret = app.all().find(o => o.kind === 'Secret')! as any;
    expect(JSON.parse(decode(secret.data.config)).bearerToken).toBe('pat-from-user');
  });

  // Why: the connect actions handed out the backend's own (Space-wide) credential by default.
  it("never hands out the backend's own credential when none is chosen", async () => {
    const { action, app } = setup();
    const { credential: _none, ...noCredential } = input;
    const err = await action.handler(actionContext(noCredential).ctx as any).catch(e => e);
    expect(err).toMatchObject({ name: 'InputError' });
    expect(err.message).toMatch(/No credential for control plane space\/local\/platform\/ctp-a: the backend never hands out its own/);
    expect(err.message).toMatch(/credential.token: a scaffolder secret .*credential.gitopsCredential: one of ctp-a-robot.*credential.secretRef/);
    expect(app.writes).toEqual([]);
    expect(JSON.stringify(app.all())).not.toContain(Buffer.from(CP_TOKEN).toString('base64').slice(0, 12));
  });

  it('hands out the service credential only with the development opt-in, and says so', async () => {
    const { action, app } = setup(AuthorizeResult.ALLOW, testHandoff({ dangerouslyUseServiceCredential: true }));
    const { credential: _none, ...noCredential } = input;
    const { ctx, logText } = actionContext(noCredential);
    await action.handler(ctx as any);
    const secret = app.all().find(o => o.kind === 'Secret')! as any;
    expect(JSON.parse(decode(secret.data.config)).bearerToken).toBe(CP_TOKEN);
    expect(logText()).toMatch(/dangerouslyUseServiceCredential is on/);
  });

  it('uses an existing cluster Secret for this control plane, and refuses one for another server', async () => {
    const { action, app } = setup();
    const existing = (name: string, server: string) =>
      app.upsert({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster' } },
        data: { server: Buffer.from(server).toString('base64'), config: Buffer.from('{}').toString('base64') },
      });
    existing('ctp-a-by-platform', `${CP_SERVER}/`);
    existing('elsewhere', 'https://kubernetes.default.svc');
    await expect(
      action.handler(actionContext({ ...input, credential: { secretRef: { name: 'elsewhere' } } }).ctx as any),
    ).rejects.toThrow(/is not an Argo CD cluster Secret .* for https:\/\/127\.0\.0\.1:18443/);
    const { ctx, outputs } = actionContext({ ...input, credential: { secretRef: { name: 'ctp-a-by-platform' } } });
    await action.handler(ctx as any);
    expect(app.writes.map(w => w.kind)).toEqual(['ConfigMap', 'Application']);
    expect(outputs.clusterSecretName).toBe('ctp-a-by-platform');
  });

  it('writes execProviderConfig for Upbound Cloud, so the connection outlives org-scoped tokens', async () => {
    const fake = createFakeUpbound();
    Object.assign(fake.controlPlane, { source: 'cloud', id: CP_ID });
    const action = createArgoCdConnectAction({
      upbound: fake.service,
      permissions: permissionsAnswering(),
      handoff: testHandoff({ organization: 'acme' }),
    });
    await action.handler(actionContext(input).ctx as any);
    const secret = fake.app.all().find(o => o.kind === 'Secret')! as any;
    const config = JSON.parse(decode(secret.data.config));
    expect(config.bearerToken).toBeUndefined();
    expect(config.execProviderConfig).toMatchObject({
      apiVersion: 'client.authentication.k8s.io/v1',
      command: 'up',
      args: ['organization', 'token'],
      env: { ORGANIZATION: 'acme', UP_TOKEN: ROBOT_TOKEN },
    });
    // A static bearer token on Cloud would die with the org-scoped token: refused.
    await expect(
      action.handler(actionContext({ ...input, argocdAuth: 'bearerToken' }).ctx as any),
    ).rejects.toThrow(/accepts only org-scoped tokens that expire within minutes/);
  });

  // Why: scaffolder actions only checked basic permissions, with no condition per control plane.
  it('applies a conditional decision per group and namespace to the target control plane', async () => {
    const fake = createFakeUpbound();
    const decide = (groups: string[], namespaces?: string[]) =>
      permissionsDeciding(() =>
        createUpboundControlPlaneConditionalDecision(
          upboundConnectionManagePermission,
          namespaces
            ? { allOf: [upboundControlPlaneConditions.isInGroup({ groups }), upboundControlPlaneConditions.isInNamespace({ namespaces })] }
            : upboundControlPlaneConditions.isInGroup({ groups }),
        ),
      );
    const run = (permissions: ReturnType<typeof permissionsDeciding>, extra: object = {}) =>
      createArgoCdConnectAction({ upbound: fake.service, permissions, handoff: testHandoff() }).handler(
        actionContext({ ...input, ...extra }).ctx as any,
      );
    await expect(run(decide(['team-a']))).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(/'upbound.connection.manage' was denied for space\/local\/platform\/ctp-a/),
    });
    expect(fake.app.writes).toEqual([]);
    await expect(run(decide(['platform'], ['team-a']), { destinationNamespace: 'team-b' })).rejects.toThrow(
      /denied for space\/local\/platform\/ctp-a#team-b/,
    );
    await run(decide(['platform'], ['team-a']), { destinationNamespace: 'team-a' });
    expect(fake.app.all().some(o => o.kind === 'Application')).toBe(true);
  });

  it('dry-run writes nothing', async () => {
    const { action, app } = setup();
    const { ctx, logText } = actionContext(input, { isDryRun: true });
    await action.handler(ctx as any);
    expect(app.writes).toEqual([]);
    expect(logText()).toContain('Dry run: would create Application argocd/ctp-a-claims');
  });

  it('manifest mode writes the Application and applies only the Secret and tracking key', async () => {
    const { action, app } = setup();
    const { ctx, outputs } = actionContext({ ...input, mode: 'manifest' }, { workspacePath: mockDir.path });
    await action.handler(ctx as any);
    expect(outputs.manifestPath).toBe('argocd/ctp-a-claims.yaml');
    const written = (mockDir.content() as any).argocd['ctp-a-claims.yaml'] as string;
    expect(written).toContain('kind: Application');
    expect(written).not.toContain(ROBOT_TOKEN);
    expect(app.all().map(o => o.kind)).not.toContain('Application');
    expect(app.writes.map(w => w.kind)).toEqual(['Secret', 'ConfigMap']);
  });

  it('manifest mode with applySecrets false touches no cluster', async () => {
    const { action, app } = setup();
    const { ctx } = actionContext({ ...input, mode: 'manifest', applySecrets: false }, { workspacePath: mockDir.path });
    await action.handler(ctx as any);
    expect(app.writes).toEqual([]);
  });
});
