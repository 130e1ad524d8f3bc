import { AuthorizeResult } from '@backstage/plugin-permission-common';
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
    mcp.seed(connectorClaim('claim-c603e518969b413e'));
    mcp.seed(connectorClaim('claim-other', 'another-cluster'));
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
    fake.app.seed({
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
});
