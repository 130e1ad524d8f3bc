import { createMockDirectory } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { controlPlaneEntityName } from '@upbound-backstage/plugin-upbound-common';
import { KubeError } from '@upbound-backstage/plugin-upbound-node';
import { actionContext, permissionsAnswering } from '../__testUtils__/context';
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
};

function setup(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW) {
  const fake = createFakeUpbound();
  const action = createArgoCdConnectAction({
    upbound: fake.service,
    permissions: permissionsAnswering(result),
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
      bearerToken: CP_TOKEN,
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
      source: {
        repoURL: 'https://github.com/acme/platform-claims.git',
        path: 'claims',
        targetRevision: 'main',
      },
      destination: { server: CP_SERVER },
      syncPolicy: { automated: { prune: false, selfHeal: true } },
    });
    expect(outputs).toMatchObject({
      applicationName: 'ctp-a-claims',
      applicationNamespace: 'argocd',
      server: CP_SERVER,
    });
    expect(logText()).not.toContain(CP_TOKEN);
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
    app.seed({
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
    app.seed({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'argocd' } });
    await expect(action.handler(actionContext(input).ctx as any)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(`Secret argocd/${name} in app cluster app-1 already exists and was not created by Backstage`),
    });
    expect(app.writes).toEqual([]);
  });

  it('rolls back what it created when a later object fails, and says so', async () => {
    const { action, app } = setup();
    app.failApplyWhen(o =>
      o.kind === 'Application'
        ? new KubeError({ type: 'forbidden', statusCode: 403, cluster: 'app-cluster/app-1', message: 'applications is forbidden' })
        : undefined,
    );
    const before = app.all();
    const err = await action.handler(actionContext(input).ctx as any).catch(e => e);
    expect(err.message).toMatch(/Failed to apply Application argocd\/ctp-a-claims in app cluster app-1/);
    expect(err.message).toMatch(/created by this run: Secret argocd\/upbound-[a-z0-9-]+ in app cluster app-1/);
    expect(err.message).toMatch(/rolled back: removed our fields from ConfigMap argocd\/argocd-cm in app cluster app-1, deleted Secret/);
    expect(err.message).toMatch(/applications is forbidden/);
    expect(err.message).not.toContain(CP_TOKEN);
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
      [{ destinationNamespace: 'NO' }, /Invalid destinationNamespace/],
      [{ tokenSecret: 'missing' }, /tokenSecret 'missing' names no secret/],
    ] as const) {
      await expect(
        action.handler(actionContext({ ...input, ...override }).ctx as any),
      ).rejects.toMatchObject({ name: 'InputError', message: expect.stringMatching(message) });
    }
    expect(app.writes).toEqual([]);
  });

  it('uses a task secret as the bearer token when named', async () => {
    const { action, app } = setup();
    await action.handler(
      actionContext({ ...input, tokenSecret: 'upboundToken' }, { secrets: { upboundToken: 'pat-from-user' } }).ctx as any,
    );
    const secret = app.all().find(o => o.kind === 'Secret')! as any;
    expect(JSON.parse(decode(secret.data.config)).bearerToken).toBe('pat-from-user');
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
    expect(written).not.toContain(CP_TOKEN);
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
