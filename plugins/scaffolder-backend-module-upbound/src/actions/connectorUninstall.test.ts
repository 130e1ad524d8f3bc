import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { gzipSync } from 'node:zlib';
import { actionContext, permissionsAnswering, testHandoff } from '../__testUtils__/context';
import { CLUSTER_ID, CP_ID, createFakeUpbound } from '../__testUtils__/fakeUpbound';
import { createConnectorInstallAction } from './connectorInstall';
import { createConnectorUninstallAction } from './connectorUninstall';

const input = { appCluster: 'app-1', controlPlane: CP_ID, claimNamespace: 'app-1' };

async function installed(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const fake = createFakeUpbound();
  const allow = permissionsAnswering(AuthorizeResult.ALLOW);
  await createConnectorInstallAction({
    upbound: fake.service,
    permissions: allow,
    handoff: testHandoff(),
  }).handler(actionContext({ ...input, credential: { gitopsCredential: 'ctp-a-robot' } }).ctx as any);
  fake.app.writes.length = 0;
  fake.mcp.writes.length = 0;
  const action = createConnectorUninstallAction({
    upbound: fake.service,
    permissions: permissionsAnswering(result),
  });
  return { ...fake, action };
}

function connectorClaim(name: string, clusterId = CLUSTER_ID) {
  return {
    apiVersion: 'database.example.org/v1alpha1',
    kind: 'PostgreSQLInstance',
    metadata: {
      name,
      namespace: 'app-1',
      labels: { 'mcp-connector.upbound.io/app-cluster': clusterId },
    },
  };
}

describe('upbound:connector:uninstall', () => {
  it('removes the objects install made, and a second run has nothing to do', async () => {
    const { action, app } = await installed();
    const { ctx, outputs } = actionContext(input);
    await action.handler(ctx as any);
    expect(outputs.removed).toEqual([
      'HelmRelease flux-system/mcp-connector in app cluster app-1',
      'OCIRepository flux-system/mcp-connector in app cluster app-1',
      'Secret flux-system/mcp-connector-token in app cluster app-1',
    ]);
    expect(outputs.remainingClaims).toBe(0);
    expect(app.all().map(o => o.kind).sort()).toEqual(['ConfigMap', 'Namespace', 'Namespace', 'Namespace', 'Namespace']);

    const second = actionContext(input);
    await action.handler(second.ctx as any);
    expect(second.outputs.removed).toEqual([]);
    expect(second.logText()).toContain('Nothing to remove');
  });

  it('refuses while claims of the app cluster remain, unless keepClaims is set', async () => {
    const { action, app, mcp } = await installed();
    mcp.upsert(connectorClaim('claim-c603e518969b413e'));
    mcp.upsert(connectorClaim('claim-other', 'another-cluster'));
    await expect(action.handler(actionContext(input).ctx as any)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        "1 claim(s) of app cluster 'app-1' (cluster id 00000000-0000-0000-0000-000000000001) still exist in namespace 'app-1'",
      ),
    });
    expect(app.writes).toEqual([]);

    const { ctx, outputs } = actionContext({ ...input, keepClaims: true });
    await action.handler(ctx as any);
    expect(outputs.remainingClaims).toBe(1);
    expect(mcp.all().filter(o => o.kind === 'PostgreSQLInstance')).toHaveLength(2);
  });

  it('deletes the claim namespace only when asked, created by install, and empty', async () => {
    const { action, mcp } = await installed();
    await action.handler(actionContext({ ...input, deleteClaimNamespace: true }).ctx as any);
    expect(mcp.all().map(o => o.metadata?.name)).not.toContain('app-1');
  });

  it('refuses to delete a HelmRelease someone else made', async () => {
    const fake = createFakeUpbound();
    fake.app.upsert({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'mcp-connector', namespace: 'flux-system' },
    });
    const action = createConnectorUninstallAction({
      upbound: fake.service,
      permissions: permissionsAnswering(),
    });
    await expect(action.handler(actionContext(input).ctx as any)).rejects.toThrow(
      /was not created by Backstage; remove it by hand/,
    );
    expect(fake.app.writes).toEqual([]);
  });

  it('dry-run deletes nothing', async () => {
    const { action, app } = await installed();
    const { ctx, logText } = actionContext(input, { isDryRun: true });
    await action.handler(ctx as any);
    expect(app.writes).toEqual([]);
    expect(logText()).toContain('Dry run: would delete HelmRelease flux-system/mcp-connector');
  });

  it('refuses without the connection permission', async () => {
    const { action, app } = await installed(AuthorizeResult.DENY);
    await expect(action.handler(actionContext(input).ctx as any)).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(app.writes).toEqual([]);
  });

  it('removes a connector installed by hand: exactly the Helm release objects and its Secrets, listed first; claims stay', async () => {
    const fake = createFakeUpbound();
    const action = createConnectorUninstallAction({ upbound: fake.service, permissions: permissionsAnswering(AuthorizeResult.ALLOW) });
    const release = (version: number) => ({
      name: 'mcp-connector',
      namespace: 'kube-system',
      version,
      chart: { metadata: { name: 'mcp-connector', version: '0.6.0' } },
      config: { mcp: { name: 'ctp-a', namespace: 'app-1', token: 'hand-token' } },
      manifest: [
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mcp-connector-config',
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: mcp-connector-mcp\n  namespace: kube-system',
      ].join('\n---\n'),
    });
    for (const version of [1, 2]) {
      fake.app.upsert({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: `sh.helm.release.v1.mcp-connector.v${version}`,
          namespace: 'kube-system',
          labels: { owner: 'helm', name: 'mcp-connector' },
        },
        data: {
          release: Buffer.from(gzipSync(Buffer.from(JSON.stringify(release(version)))).toString('base64')).toString('base64'),
        },
      });
    }
    fake.app.upsert({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mcp-connector-config', namespace: 'kube-system' } });
    fake.app.upsert({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'mcp-connector-mcp', namespace: 'kube-system' } });
    fake.mcp.upsert(connectorClaim('claim-1'));

    const dry = actionContext({ ...input, helmRelease: true, keepClaims: true }, { isDryRun: true });
    await action.handler(dry.ctx as any);
    expect(dry.outputs.plan).toEqual([
      'ConfigMap kube-system/mcp-connector-config in app cluster app-1',
      'Secret kube-system/mcp-connector-mcp in app cluster app-1',
      'Secret kube-system/sh.helm.release.v1.mcp-connector.v1 in app cluster app-1',
      'Secret kube-system/sh.helm.release.v1.mcp-connector.v2 in app cluster app-1',
    ]);
    expect(fake.app.writes).toEqual([]);
    expect(dry.logText()).toContain('1 claim(s) of this app cluster stay in namespace app-1');
    expect(dry.logText()).not.toContain('hand-token');

    const { ctx, outputs } = actionContext({ ...input, helmRelease: true, keepClaims: true });
    await action.handler(ctx as any);
    expect(outputs.removed).toEqual(dry.outputs.plan);
    expect(fake.app.all().filter(o => o.metadata?.namespace === 'kube-system')).toEqual([]);
    expect(fake.mcp.all().some(o => o.metadata?.name === 'claim-1')).toBe(true);
    await expect(action.handler(actionContext({ ...input, helmRelease: true, keepClaims: true }).ctx as any)).rejects.toThrow(
      /No Helm release kube-system\/mcp-connector in app cluster app-1/,
    );
  });

  it('removes what an Argo CD install made', async () => {
    const fake = createFakeUpbound();
    await createConnectorInstallAction({
      upbound: fake.service,
      permissions: permissionsAnswering(AuthorizeResult.ALLOW),
      handoff: testHandoff(),
    }).handler(actionContext({ ...input, installWith: 'argocd', credential: { gitopsCredential: 'ctp-a-robot' } }).ctx as any);
    const action = createConnectorUninstallAction({ upbound: fake.service, permissions: permissionsAnswering(AuthorizeResult.ALLOW) });
    const { ctx, outputs } = actionContext(input);
    await action.handler(ctx as any);
    expect(outputs.removed).toEqual([
      'Secret kube-system/mcp-connector-controlplane in app cluster app-1',
      'Application argocd/mcp-connector-app-1 in Argo CD main',
      'Secret argocd/mcp-connector-chart-repository in Argo CD main',
    ]);
  });
});
