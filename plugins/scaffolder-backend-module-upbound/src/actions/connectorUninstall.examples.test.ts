import { actionContext, permissionsAnswering, testHandoff } from '../__testUtils__/context';
import { exampleInput } from '../__testUtils__/examples';
import { createFakeUpbound } from '../__testUtils__/fakeUpbound';
import { createConnectorInstallAction } from './connectorInstall';
import { createConnectorUninstallAction } from './connectorUninstall';
import { examples } from './connectorUninstall.examples';

describe('upbound:connector:uninstall examples', () => {
  it.each(examples.map(e => [e.description, e] as const))('%s', async (_, example) => {
    const { service, app } = createFakeUpbound();
    const options = { upbound: service, permissions: permissionsAnswering(), handoff: testHandoff() };
    const input = exampleInput(example);
    await createConnectorInstallAction(options).handler(
      actionContext({
        appCluster: input.appCluster,
        controlPlane: input.controlPlane,
        claimNamespace: input.claimNamespace,
        credential: { gitopsCredential: 'ctp-a-robot' },
      }).ctx as any,
    );
    await createConnectorUninstallAction(options).handler(actionContext(input).ctx as any);
    expect(app.all().some(o => o.kind === 'HelmRelease')).toBe(false);
  });
});
