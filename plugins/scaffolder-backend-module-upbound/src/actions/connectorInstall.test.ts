import { createMockDirectory } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { KubeError } from '@upbound-backstage/plugin-upbound-node';
import { parse, parseAllDocuments } from 'yaml';
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
    app.upsert({
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
    mcp.upsert({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app-1', labels: { team: 'a' } } });
    await action.handler(actionContext(input).ctx as any);
    const before = [...app.all(), ...mcp.all()];
    await action.handler(actionContext(input).ctx as any);
    expect([...app.all(), ...mcp.all()]).toEqual(before);
    expect(mcp.writes).toEqual([]);
  });

  it('rolls back the namespace and Secret it created when the HelmRelease fails', async () => {
    const { action, app, mcp } = setup();
    app.failWhen(c =>
      c.method === 'apply' && c.kind === 'HelmRelease'
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
      [{ chartUrl: 'ftp://charts.example.com/mcp-connector' }, /Invalid chartUrl/],
      [{ chartUrl: 'oci://registry-only' }, /Invalid chartUrl/],
      [{ chartUrl: 'https://charts.upbound.io/beta', chart: 'Bad_Name' }, /Invalid chart 'Bad_Name'/],
      [{ installWith: 'helm' }, /installWith helm needs mode manifest/],
      [{ installWith: 'argocd', tokenIn: 'values' }, /installWith argocd needs tokenIn kubeconfigSecret/],
      [{ chartUrl: 'https://charts.example.com/beta' }, /is not the Upbound connector chart/],
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
    app.upsert({
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

  it('Argo CD: the Application with the chart as Helm source, the OCI repository Secret, and the token only in a kubeconfig Secret', async () => {
    const { action, app, mcp } = setup();
    const { ctx, outputs, logText } = actionContext(
      { ...input, installWith: 'argocd', mode: 'manifest' },
      { workspacePath: mockDir.path },
    );
    await action.handler(ctx as any);
    expect(outputs.manifestPath).toBe('clusters/app-1/mcp-connector.yaml');
    const text = (mockDir.content() as any).clusters['app-1']['mcp-connector.yaml'] as string;
    const [repository, application] = parseAllDocuments(text).map(d => d.toJS());
    expect(repository.metadata).toMatchObject({
      name: 'mcp-connector-chart-repository',
      namespace: 'argocd',
      labels: { 'argocd.argoproj.io/secret-type': 'repository' },
    });
    expect(
      Object.fromEntries(
        Object.entries(repository.data).map(([k, v]) => [k, Buffer.from(v as string, 'base64').toString()]),
      ),
    ).toEqual({
      type: 'helm',
      name: 'mcp-connector-chart',
      url: 'xpkg.upbound.io/spaces-artifacts',
      enableOCI: 'true',
    });
    expect(application.kind).toBe('Application');
    expect(application.spec.source).toEqual({
      repoURL: 'xpkg.upbound.io/spaces-artifacts',
      chart: 'mcp-connector',
      targetRevision: '0.10.0',
      helm: {
        releaseName: 'mcp-connector',
        valuesObject: {
          spaces: {
            host: '127.0.0.1:18443',
            insecureSkipTLSVerify: false,
            controlPlane: {
              name: 'ctp-a',
              group: 'platform',
              claimNamespace: 'app-1',
              kubeconfigSecret: { name: 'mcp-connector-controlplane', key: 'kubeconfig' },
            },
          },
          clusterID: CLUSTER_ID,
        },
      },
    });
    // Argo CD runs in the app cluster it installs into.
    expect(application.spec.destination).toEqual({
      server: 'https://kubernetes.default.svc',
      namespace: 'kube-system',
    });
    expect(text).not.toContain(CP_TOKEN);
    expect(text).not.toContain(ROBOT_TOKEN);
    expect(logText()).not.toContain(ROBOT_TOKEN);
    // The kubeconfig Secret goes live, beside the connector, never into Git.
    expect(app.writes.map(w => `${w.kind} ${w.namespace}/${w.name}`)).toEqual([
      'Secret kube-system/mcp-connector-controlplane',
    ]);
    const kubeconfig = Buffer.from((app.all().find(o => o.kind === 'Secret') as any).data.kubeconfig, 'base64').toString();
    expect(kubeconfig).toContain(`token: ${ROBOT_TOKEN}`);
    expect(kubeconfig).toContain('server: https://127.0.0.1:18443');
    expect(mcp.writes.map(w => w.kind)).toEqual(['Namespace']);
  });

  it('Argo CD in apply mode applies the repository Secret and the Application; CLI-style values name the kubeconfig Secret', async () => {
    const { action, app } = setup();
    await action.handler(
      actionContext({ ...input, installWith: 'argocd', chartVersion: '0.7.0' }).ctx as any,
    );
    expect(app.writes.map(w => `${w.kind} ${w.namespace}/${w.name}`)).toEqual([
      'Secret kube-system/mcp-connector-controlplane',
      'Secret argocd/mcp-connector-chart-repository',
      'Application argocd/mcp-connector-app-1',
    ]);
    const application = app.all().find(o => o.kind === 'Application')! as any;
    expect(application.spec.source.helm.valuesObject).toEqual({
      mcp: {
        name: 'ctp-a',
        namespace: 'app-1',
        host: 'https://127.0.0.1:18443',
        secret: { name: 'mcp-connector-controlplane', provision: false },
      },
    });
  });

  it("accepts the seed's HTTP chart repository: Flux HelmRepository, Argo CD helm repository without OCI", async () => {
    const { action, app } = setup();
    await action.handler(
      actionContext({ ...input, chartUrl: 'upbound-beta/mcp-connector', chartVersion: '0.6.0' }).ctx as any,
    );
    expect(app.all().find(o => o.kind === 'HelmRepository')!.spec).toEqual({
      url: 'https://charts.upbound.io/beta',
      interval: '10m',
    });
    const release = app.all().find(o => o.kind === 'HelmRelease')!.spec as any;
    expect(release.chart).toEqual({
      spec: {
        chart: 'mcp-connector',
        version: '0.6.0',
        sourceRef: { kind: 'HelmRepository', name: 'mcp-connector' },
      },
    });
    expect(release.chartRef).toBeUndefined();
    expect(release.valuesFrom[0].targetPath).toBe('mcp.token');

    const argo = setup();
    await argo.action.handler(
      actionContext({
        ...input,
        installWith: 'argocd',
        chartUrl: 'https://charts.upbound.io/beta',
        chartVersion: '0.6.0',
      }).ctx as any,
    );
    const repository = argo.app.all().find(o => o.metadata?.name === 'mcp-connector-chart-repository') as any;
    expect(Buffer.from(repository.data.url, 'base64').toString()).toBe('https://charts.upbound.io/beta');
    expect(repository.data.enableOCI).toBeUndefined();
    expect((argo.app.all().find(o => o.kind === 'Application') as any).spec.source).toMatchObject({
      repoURL: 'https://charts.upbound.io/beta',
      chart: 'mcp-connector',
      targetRevision: '0.6.0',
    });
  });

  it('helm: writes the values file and the exact helm upgrade --install command, no token anywhere', async () => {
    const { action, app, mcp } = setup();
    const { credential: _c, ...noCredential } = input;
    const { ctx, outputs, logText } = actionContext(
      { ...noCredential, installWith: 'helm', mode: 'manifest' },
      { workspacePath: mockDir.path },
    );
    await action.handler(ctx as any);
    expect(outputs.manifestPath).toBe('clusters/app-1/mcp-connector-values.yaml');
    expect(outputs.helmCommand).toBe(
      'helm upgrade --install mcp-connector oci://xpkg.upbound.io/spaces-artifacts/mcp-connector --version 0.10.0 --namespace kube-system --create-namespace --wait -f clusters/app-1/mcp-connector-values.yaml --set-file upbound.token="${UPBOUND_TOKEN_FILE:?file holding the Upbound token}"',
    );
    const files = (mockDir.content() as any).clusters['app-1'];
    expect(parse(files['mcp-connector-values.yaml'])).toEqual({
      spaces: {
        host: '127.0.0.1:18443',
        insecureSkipTLSVerify: false,
        controlPlane: { name: 'ctp-a', group: 'platform', claimNamespace: 'app-1' },
      },
      clusterID: CLUSTER_ID,
    });
    expect(files['install-mcp-connector.sh']).toContain(outputs.helmCommand);
    expect(app.writes).toEqual([]);
    expect(mcp.writes.map(w => w.kind)).toEqual(['Namespace']);
    expect(logText()).toContain('Wrote the MCP Connector values and helm command');
  });

  it('helm with the seed repository: the --repo form and mcp.* keys', async () => {
    const { action } = setup();
    const { credential: _c, ...noCredential } = input;
    const { ctx, outputs } = actionContext(
      {
        ...noCredential,
        installWith: 'helm',
        mode: 'manifest',
        chartUrl: 'https://charts.upbound.io/beta',
        chartVersion: '0.6.0',
        installationNamespace: 'upbound-connector',
      },
      { workspacePath: mockDir.path },
    );
    await action.handler(ctx as any);
    expect(outputs.helmCommand).toBe(
      'helm upgrade --install mcp-connector mcp-connector --repo https://charts.upbound.io/beta --version 0.6.0 --namespace upbound-connector --create-namespace --wait -f clusters/app-1/mcp-connector-values.yaml --set-file mcp.token="${UPBOUND_TOKEN_FILE:?file holding the Upbound token}"',
    );
  });

  it("Upbound Cloud: account defaults from upbound.organization; the kubeconfig Secret form is refused there", async () => {
    const fake = createFakeUpbound();
    fake.controlPlane.source = 'cloud';
    const withoutOrg = createConnectorInstallAction({
      upbound: fake.service,
      permissions: permissionsAnswering(AuthorizeResult.ALLOW),
      handoff: testHandoff(),
    });
    await expect(withoutOrg.handler(actionContext(input).ctx as any)).rejects.toThrow(
      /account is required for Upbound Cloud control planes: give it, or set upbound.organization/,
    );
    const action = createConnectorInstallAction({
      upbound: fake.service,
      permissions: permissionsAnswering(AuthorizeResult.ALLOW),
      handoff: testHandoff({ organization: 'acme' }),
    });
    await expect(
      action.handler(actionContext({ ...input, installWith: 'argocd' }).ctx as any),
    ).rejects.toThrow(/is on Upbound Cloud: .* the kubeconfig Secret form is for self-hosted Spaces/);
    await action.handler(actionContext(input).ctx as any);
    expect((fake.app.all().find(o => o.kind === 'HelmRelease') as any).spec.values.upbound).toEqual({
      account: 'acme',
    });
    await action.handler(actionContext({ ...input, account: 'other-org' }).ctx as any);
    expect((fake.app.all().find(o => o.kind === 'HelmRelease') as any).spec.values.upbound).toEqual({
      account: 'other-org',
    });
  });

  it('self-hosted kubeconfig Secret form with Flux, or an existing kubeconfig Secret', async () => {
    const { action, app } = setup();
    await action.handler(actionContext({ ...input, tokenIn: 'kubeconfigSecret' }).ctx as any);
    const release = app.all().find(o => o.kind === 'HelmRelease')!.spec as any;
    expect(release.valuesFrom).toBeUndefined();
    expect(release.values.spaces.controlPlane.kubeconfigSecret).toEqual({
      name: 'mcp-connector-controlplane',
      key: 'kubeconfig',
    });
    expect(app.all().find(o => o.kind === 'Secret' && o.metadata?.namespace === 'kube-system')).toBeDefined();

    const other = setup();
    other.app.upsert({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'ctp-kubeconfig', namespace: 'kube-system' },
      data: { kubeconfig: Buffer.from('x').toString('base64') },
    });
    await other.action.handler(
      actionContext({
        ...input,
        tokenIn: 'kubeconfigSecret',
        credential: { secretRef: { name: 'ctp-kubeconfig' } },
      }).ctx as any,
    );
    expect(other.app.writes.map(w => w.kind)).toEqual(['OCIRepository', 'HelmRelease']);
    expect(
      (other.app.all().find(o => o.kind === 'HelmRelease') as any).spec.values.spaces.controlPlane.kubeconfigSecret,
    ).toEqual({ name: 'ctp-kubeconfig', key: 'kubeconfig' });
  });

  it('clusterId defaults to the UID of the app cluster kube-system namespace when config has none', async () => {
    const { action, app, service } = setup();
    (service.appCluster('app-1') as any).clusterId = undefined;
    const uid = app.all().find(o => o.kind === 'Namespace' && o.metadata?.name === 'kube-system')!.metadata!.uid;
    expect(uid).toBeTruthy();
    const { ctx, outputs } = actionContext(input);
    await action.handler(ctx as any);
    expect(outputs.clusterId).toBe(uid);
    expect((app.all().find(o => o.kind === 'HelmRelease') as any).spec.values.clusterID).toBe(uid);
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
