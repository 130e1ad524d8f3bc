import { createMockDirectory } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { parse, parseAllDocuments } from 'yaml';
import {
  actionContext,
  permissionsAnswering,
  ROBOT_TOKEN,
  testHandoff,
} from '../__testUtils__/context';
import { buildKubeconfig } from '../lib/kubeconfig';
import { CP_ID, CP_SERVER, CP_TOKEN, createFakeUpbound } from '../__testUtils__/fakeUpbound';
import { createFluxConnectAction } from './fluxConnect';

const input = {
  controlPlane: CP_ID,
  name: 'ctp-a-claims',
  gitRepository: { url: 'https://github.com/acme/platform-claims.git', branch: 'main' },
  path: './claims',
  credential: { gitopsCredential: 'ctp-a-robot' },
};

function setup(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  withGitOpsApis = true,
  handoff = testHandoff(),
) {
  const fake = createFakeUpbound({ withGitOpsApis });
  const action = createFluxConnectAction({
    upbound: fake.service,
    permissions: permissionsAnswering(result),
    handoff,
  });
  return { ...fake, action };
}

describe('upbound:flux:connect', () => {
  const mockDir = createMockDirectory();
  beforeEach(() => mockDir.clear());

  it('creates the kubeconfig Secret, the GitRepository and the Kustomization', async () => {
    const { action, app } = setup();
    const { ctx, outputs, logText } = actionContext(input);
    await action.handler(ctx as any);

    const secret = app.all().find(o => o.kind === 'Secret')! as any;
    expect(secret.metadata).toMatchObject({ name: 'ctp-a-claims-kubeconfig', namespace: 'flux-system' });
    const kubeconfig = parse(Buffer.from(secret.data.value, 'base64').toString());
    expect(kubeconfig.users[0].user).toEqual({ token: ROBOT_TOKEN });
    expect(kubeconfig.clusters[0].cluster.server).toBe(CP_SERVER);

    expect(app.all().find(o => o.kind === 'GitRepository')!.spec).toEqual({
      url: 'https://github.com/acme/platform-claims.git',
      interval: '5m',
      ref: { branch: 'main' },
    });
    expect(app.all().find(o => o.kind === 'Kustomization')!.spec).toEqual({
      interval: '5m',
      sourceRef: { kind: 'GitRepository', name: 'ctp-a-claims' },
      path: './claims',
      prune: true,
      kubeConfig: { secretRef: { name: 'ctp-a-claims-kubeconfig', key: 'value' } },
    });
    expect(outputs).toEqual({
      kustomizationName: 'ctp-a-claims',
      namespace: 'flux-system',
      kubeconfigSecretName: 'ctp-a-claims-kubeconfig',
    });
    expect(logText()).not.toContain(ROBOT_TOKEN);
    expect(app.writes.map(w => w.kind)).toEqual(['Secret', 'GitRepository', 'Kustomization']);
  });

  it('is idempotent', async () => {
    const { action, app } = setup();
    await action.handler(actionContext(input).ctx as any);
    const before = app.all();
    await action.handler(actionContext(input).ctx as any);
    expect(app.all()).toEqual(before);
  });

  it('uses an existing source and refuses an unknown one', async () => {
    const { action, app } = setup();
    const existing = { ...input, gitRepository: undefined, sourceRef: { kind: 'GitRepository' as const, name: 'platform' } };
    await expect(action.handler(actionContext(existing).ctx as any)).rejects.toThrow(
      /Unknown sourceRef: GitRepository flux-system\/platform does not exist in app cluster app-1/,
    );
    expect(app.writes).toEqual([]);
    app.upsert({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'platform', namespace: 'flux-system' },
      spec: { url: 'https://example.com/x.git', interval: '1m' },
    });
    await action.handler(actionContext(existing).ctx as any);
    expect(app.all().find(o => o.kind === 'Kustomization')!.spec.sourceRef).toEqual({
      kind: 'GitRepository',
      name: 'platform',
    });
  });

  it('refuses bad input before any write', async () => {
    const { action, app } = setup();
    for (const [override, message] of [
      [{ name: 'Bad Name' }, /Invalid name/],
      [{ interval: 'often' }, /Invalid interval 'often'/],
      [{ gitRepository: undefined }, /exactly one of sourceRef/],
      [{ sourceRef: { name: 'x' } }, /exactly one of sourceRef/],
      [{ gitRepository: { url: 'file:///x' } }, /Invalid gitRepository.url/],
      [{ name: '..' }, /Invalid name/],
      [{ sourceRef: { name: 'platform', namespace: '..' }, gitRepository: undefined }, /Invalid sourceRef.namespace/],
      [{ credential: undefined }, /No credential for control plane/],
      [{ fluxInstance: 'nope' }, /Unknown fluxInstance 'nope'/],
      [{ controlPlane: 'direct/nope' }, /Unknown controlPlane/],
    ] as const) {
      await expect(
        action.handler(actionContext({ ...input, ...override }).ctx as any),
      ).rejects.toMatchObject({ name: 'InputError', message: expect.stringMatching(message) });
    }
    expect(app.writes).toEqual([]);
  });

  // Why: any gitRepository.url (plain http too) was accepted with any existing secretRef, so
  // source-controller would send an existing Git credential to a host the user chose.
  it('accepts https or ssh Git URLs only, and a secretRef only for an allowed host', async () => {
    const { action, app } = setup();
    const git = (url: string, secretRef?: string) => ({
      ...input,
      gitRepository: { url, branch: 'main', ...(secretRef ? { secretRef } : {}) },
    });
    await expect(action.handler(actionContext(git('http://git.example.com/c.git')).ctx as any)).rejects.toThrow(
      /Invalid gitRepository.url: only https:\/\/ and ssh:\/\/ Git URLs are accepted, got http:\/\//,
    );
    await expect(
      action.handler(actionContext(git('https://evil.example.com/c.git', 'github-credentials')).ctx as any),
    ).rejects.toThrow(/gitRepository.secretRef is accepted only for Git hosts listed in upbound.gitops.allowedGitHosts .* to evil.example.com/);
    expect(app.writes).toEqual([]);

    const restricted = setup(AuthorizeResult.ALLOW, true, testHandoff({ allowedGitHosts: ['github.com'] }));
    await expect(
      restricted.action.handler(actionContext(git('https://evil.example.com/c.git', 'github-credentials')).ctx as any),
    ).rejects.toThrow(/host 'evil.example.com' is not allowed; allowed Git hosts \(upbound.gitops.allowedGitHosts\): github.com/);
    await expect(
      restricted.action.handler(actionContext(git('https://evil.example.com/c.git')).ctx as any),
    ).rejects.toThrow(/not allowed/);
    expect(restricted.app.writes).toEqual([]);
    await restricted.action.handler(actionContext(git('ssh://git@github.com/acme/c.git', 'github-credentials')).ctx as any);
    expect(restricted.app.all().find(o => o.kind === 'GitRepository')!.spec.secretRef).toEqual({
      name: 'github-credentials',
    });
  });

  it('uses an existing kubeconfig Secret only when it points at this control plane', async () => {
    const { action, app } = setup();
    const seed = (name: string, server: string) =>
      app.upsert({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, namespace: 'flux-system' },
        data: { value: Buffer.from(buildKubeconfig({ name: 'x', server, token: 't' })).toString('base64') },
      });
    seed('other-kubeconfig', 'https://other.example.com');
    seed('ctp-a-kubeconfig', CP_SERVER);
    await expect(
      action.handler(actionContext({ ...input, credential: { secretRef: { name: 'other-kubeconfig' } } }).ctx as any),
    ).rejects.toThrow(/is not a kubeconfig Secret \(key value or value.yaml\) for https:\/\/127.0.0.1:18443/);
    await action.handler(actionContext({ ...input, credential: { secretRef: { name: 'ctp-a-kubeconfig' } } }).ctx as any);
    expect(app.writes.map(w => w.kind)).toEqual(['GitRepository', 'Kustomization']);
    expect(app.all().find(o => o.kind === 'Kustomization')!.spec.kubeConfig).toEqual({
      secretRef: { name: 'ctp-a-kubeconfig', key: 'value' },
    });
  });

  it('refuses a token for an Upbound Cloud control plane: Flux refuses exec, org tokens expire', async () => {
    const fake = createFakeUpbound();
    Object.assign(fake.controlPlane, { source: 'cloud' });
    const action = createFluxConnectAction({ upbound: fake.service, permissions: permissionsAnswering(), handoff: testHandoff() });
    await expect(action.handler(actionContext(input).ctx as any)).rejects.toThrow(
      /on Upbound Cloud: .*Give credential.secretRef naming a kubeconfig Secret that something refreshes/,
    );
    expect(fake.app.writes).toEqual([]);
  });

  it('refuses when Flux is not installed in the app cluster', async () => {
    const { action, app } = setup(AuthorizeResult.ALLOW, false);
    await expect(action.handler(actionContext(input).ctx as any)).rejects.toThrow(
      /GitRepository \(source.toolkit.fluxcd.io\/v1\) is not served by app cluster app-1/,
    );
    expect(app.writes).toEqual([]);
  });

  it('refuses without the connection permission', async () => {
    const { action } = setup(AuthorizeResult.DENY);
    await expect(action.handler(actionContext(input).ctx as any)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
  });

  it('dry-run writes nothing', async () => {
    const { action, app } = setup();
    const { ctx, logText } = actionContext(input, { isDryRun: true });
    await action.handler(ctx as any);
    expect(app.writes).toEqual([]);
    expect(logText()).toContain('Dry run: would create Kustomization flux-system/ctp-a-claims');
  });

  it('manifest mode writes GitRepository and Kustomization, and applies only the Secret', async () => {
    const { action, app } = setup();
    const { ctx, outputs } = actionContext({ ...input, mode: 'manifest' }, { workspacePath: mockDir.path });
    await action.handler(ctx as any);
    expect(outputs.manifestPath).toBe('flux/ctp-a-claims.yaml');
    const text = (mockDir.content() as any).flux['ctp-a-claims.yaml'] as string;
    expect(parseAllDocuments(text).map(d => d.toJS().kind)).toEqual(['GitRepository', 'Kustomization']);
    expect(text).not.toContain(ROBOT_TOKEN);
    expect(text).not.toContain(CP_TOKEN);
    expect(app.writes.map(w => w.kind)).toEqual(['Secret']);
  });
});
