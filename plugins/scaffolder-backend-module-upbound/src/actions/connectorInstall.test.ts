import { createMockDirectory } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { KubeError } from '@upbound-backstage/plugin-upbound-node';
import { parseAllDocuments } from 'yaml';
import {
  actionContext,
  permissionsAnswering,
  ROBOT_TOKEN,
  testHandoff,
  USER_SECRET_TOKEN,
} from '../__testUtils__/context';
import { CLUSTER_ID, CP_ID, CP_TOKEN, createFakeUpbound } from '../__testUtils__/fakeUpbound';
import { createConnectorInstallAction } from './connectorInstall';

const input = {
  appCluster: 'app-1',
  controlPlane: CP_ID,
  claimNamespace: 'app-1',
  credential: { gitopsCredential: 'ctp-a-robot' },
};

function setup(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const fake = createFakeUpbound();
  const action = createConnectorInstallAction({
    upbound: fake.service,
    permissions: permissionsAnswering(result),
    handoff: testHandoff(),
  });
  return { ...fake, action };
}

describe('upbound:connector:install', () => {
  const mockDir = createMockDirectory();
  beforeEach(() => mockDir.clear());

  it('creates the claim namespace, the token Secret, the OCIRepository and the HelmRelease', async () => {
    const { action, app, mcp } = setup();
    const { ctx, outputs, logText } = actionContext(input);
    await action.handler(ctx as any);

    expect(mcp.all().find(o => o.kind === 'Namespace' && o.metadata?.name === 'app-1')).toBeDefined();
    const secret = app.all().find(o => o.kind === 'Secret')! as any;
    expect(secret.metadata.name).toBe('mcp-connector-token');
    expect(Buffer.from(secret.data.token, 'base64').toString()).toBe(ROBOT_TOKEN);
    expect(app.all().find(o => o.kind === 'OCIRepository')!.spec).toEqual({
      url: 'oci://xpkg.upbound.io/spaces-artifacts/mcp-connector',
      ref: { tag: '0.10.0' },
      interval: '10m',
    });
    expect(app.all().find(o => o.kind === 'HelmRelease')!.spec).toEqual({
      interval: '10m',
      chartRef: { kind: 'OCIRepository', name: 'mcp-connector' },
      releaseName: 'mcp-connector',
      targetNamespace: 'kube-system',
      storageNamespace: 'kube-system',
      install: { createNamespace: true },
      values: {
        spaces: {
          host: '127.0.0.1:18443',
          insecureSkipTLSVerify: false,
          controlPlane: { name: 'ctp-a', group: 'platform', claimNamespace: 'app-1' },
        },
        clusterID: CLUSTER_ID,
      },
      valuesFrom: [
        { kind: 'Secret', name: 'mcp-connector-token', valuesKey: 'token', targetPath: 'upbound.token' },
      ],
    });
    expect(outputs).toEqual({ clusterId: CLUSTER_ID, claimNamespace: 'app-1', valueStyle: 'docs' });
    expect(logText()).not.toContain(ROBOT_TOKEN);
    expect(logText()).toContain('The connector gets GitOps credential ctp-a-robot');
  });

  it('writes the scaffolder secret into the token Secret, and never the service credential', async () => {
    const { action, app } = setup();
    const { credential: _c, ...noCredential } = input;
    await expect(action.handler(actionContext(noCredential).ctx as any)).rejects.toThrow(
      /No credential for control plane .* the backend never hands out its own/,
    );
    expect(app.writes).toEqual([]);
    await action.handler(
      actionContext(
        { ...input, credential: { token: USER_SECRET_TOKEN } },
        { secrets: { upboundToken: USER_SECRET_TOKEN } },
      ).ctx as any,
    );
    const secret = app.all().find(o => o.kind === 'Secret')! as any;
    expect(Buffer.from(secret.data.token, 'base64').toString()).toBe(USER_SECRET_TOKEN);
  });

  it('writes CLI-style values for charts before 0.8 and references an existing token Secret', async () => {
    const { action, app } = setup();
    await expect(
      action.handler(
        actionContext({
          ...input,
          chartVersion: '0.7.0',
          credential: { secretRef: { name: 'upbound-pat', key: 'pat' } },
        }).ctx as any,
      ),
    ).rejects.toThrow(/Secret flux-system\/upbound-pat with key pat does not exist/);
    app.seed({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'upbound-pat', namespace: 'flux-system' },
      data: { pat: Buffer.from('x').toString('base64') },
    });
    await action.handler(
      actionContext({
        ...input,
        chartVersion: '0.7.0',
        credential: { secretRef: { name: 'upbound-pat', key: 'pat' } },
      }).ctx as any,
    );
    expect(app.writes.map(w => w.kind)).not.toContain('Secret');
    const spec = app.all().find(o => o.kind === 'HelmRelease')!.spec;
    expect(spec.values).toEqual({
      mcp: { name: 'ctp-a', namespace: 'app-1', host: 'https://127.0.0.1:18443' },
    });
    expect(spec.valuesFrom).toEqual([
      { kind: 'Secret', name: 'upbound-pat', valuesKey: 'pat', targetPath: 'mcp.token' },
    ]);
  });

  it('leaves an existing claim namespace alone and is idempotent', async () => {
    const { action, app, mcp } = setup();
    mcp.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app-1', labels: { team: 'a' } } });
    await action.handler(actionContext(input).ctx as any);
    const before = [...app.all(), ...mcp.all()];
    await action.handler(actionContext(input).ctx as any);
    expect([...app.all(), ...mcp.all()]).toEqual(before);
    expect(mcp.writes).toEqual([]);
  });

  it('rolls back the namespace and Secret it created when the HelmRelease fails', async () => {
    const { action, app, mcp } = setup();
    app.failApplyWhen(o =>
      o.kind === 'HelmRelease'
        ? new KubeError({ type: 'invalid', statusCode: 422, cluster: 'app-cluster/app-1', message: 'HelmRelease is invalid' })
        : undefined,
    );
    const err = await action.handler(actionContext(input).ctx as any).catch(e => e);
    expect(err.message).toContain('Failed to apply HelmRelease flux-system/mcp-connector in app cluster app-1');
    expect(err.message).toContain(
      `created by this run: Namespace app-1 in control plane ${CP_ID}, Secret flux-system/mcp-connector-token in app cluster app-1, OCIRepository flux-system/mcp-connector in app cluster app-1`,
    );
    expect(err.message).toContain('rolled back: deleted OCIRepository');
    expect(err.message).not.toContain(ROBOT_TOKEN);
    expect(mcp.all().map(o => o.metadata?.name)).not.toContain('app-1');
    expect(app.all().map(o => o.kind)).not.toContain('OCIRepository');
    expect(app.all().map(o => o.kind)).not.toContain('Secret');
  });

  it('refuses bad input before any write', async () => {
    const { action, app, mcp } = setup();
    for (const [override, message] of [
      [{ claimNamespace: 'App_1' }, /Invalid claimNamespace/],
      [{ appCluster: 'app-9' }, /Unknown appCluster 'app-9'; configured app clusters: app-1/],
      [{ chartVersion: 'latest' }, /Invalid chartVersion 'latest'/],
      [{ chartUrl: 'https://charts.example.com' }, /Invalid chartUrl/],
      [{ gitops: 'argocd' }, /gitops argocd needs mode manifest/],
      [{ credential: { token: 'a', secretRef: { name: 'b' } } }, /Give one credential, not credential.token and credential.secretRef/],
      [{ credential: { secretRef: { name: '..' } } }, /Invalid credential.secretRef.name/],
      [{ releaseName: '..' }, /Invalid releaseName/],
      [{ chartUrl: 'oci://evil.example.com/charts/mcp-connector' }, /is not the Upbound connector chart .* GitOps credential ctp-a-robot is handed only to that chart/],
      [{ fluxInstance: 'other' }, /Unknown fluxInstance 'other'/],
    ] as const) {
      await expect(
        action.handler(actionContext({ ...input, ...override }).ctx as any),
      ).rejects.toMatchObject({ name: 'InputError', message: expect.stringMatching(message) });
    }
    expect([...app.writes, ...mcp.writes]).toEqual([]);
  });

  it('refuses a HelmRelease of the same name that someone else made', async () => {
    const { action, app, mcp } = setup();
    app.seed({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'mcp-connector', namespace: 'flux-system' },
      spec: { interval: '1h' },
    });
    await expect(action.handler(actionContext(input).ctx as any)).rejects.toThrow(
      /HelmRelease flux-system\/mcp-connector in app cluster app-1 already exists and was not created by Backstage/,
    );
    expect([...app.writes, ...mcp.writes]).toEqual([]);
  });

  it('refuses without the connection permission', async () => {
    const { action, mcp } = setup(AuthorizeResult.DENY);
    await expect(action.handler(actionContext(input).ctx as any)).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(mcp.writes).toEqual([]);
  });

  it('dry-run writes nothing', async () => {
    const { action, app, mcp } = setup();
    const { ctx, logText } = actionContext(input, { isDryRun: true });
    await action.handler(ctx as any);
    expect([...app.writes, ...mcp.writes]).toEqual([]);
    expect(logText()).toContain(`Dry run: would create Namespace app-1 in control plane ${CP_ID}`);
    expect(logText()).toContain('Dry run: would create HelmRelease flux-system/mcp-connector');
  });

  it('manifest mode with Argo CD writes an Application with a Helm source and no token', async () => {
    const { action, app, mcp } = setup();
    const { ctx, outputs } = actionContext(
      { ...input, gitops: 'argocd', mode: 'manifest' },
      { workspacePath: mockDir.path },
    );
    await action.handler(ctx as any);
    expect(outputs.manifestPath).toBe('clusters/app-1/mcp-connector.yaml');
    const text = (mockDir.content() as any).clusters['app-1']['mcp-connector.yaml'] as string;
    const [application] = parseAllDocuments(text).map(d => d.toJS());
    expect(application.kind).toBe('Application');
    expect(application.spec.source).toEqual({
      repoURL: 'xpkg.upbound.io/spaces-artifacts',
      chart: 'mcp-connector',
      targetRevision: '0.10.0',
      helm: {
        releaseName: 'mcp-connector',
        valuesObject: expect.objectContaining({ clusterID: CLUSTER_ID }),
      },
    });
    expect(text).not.toContain(CP_TOKEN);
    expect(app.writes).toEqual([]);
    expect(mcp.writes.map(w => w.kind)).toEqual(['Namespace']);
  });

  it('manifest mode with Flux writes the OCIRepository and HelmRelease, and applies the token Secret', async () => {
    const { action, app } = setup();
    const { ctx } = actionContext({ ...input, mode: 'manifest' }, { workspacePath: mockDir.path });
    await action.handler(ctx as any);
    const text = (mockDir.content() as any).clusters['app-1']['mcp-connector.yaml'] as string;
    expect(parseAllDocuments(text).map(d => d.toJS().kind)).toEqual(['OCIRepository', 'HelmRelease']);
    expect(app.writes.map(w => w.kind)).toEqual(['Secret']);
  });
});
