import { actionContext, permissionsAnswering, testHandoff } from '../__testUtils__/context';
import { exampleInput } from '../__testUtils__/examples';
import { buildKubeconfig } from '../lib/kubeconfig';
import { createFakeUpbound, CP_SERVER } from '../__testUtils__/fakeUpbound';
import { createFluxConnectAction } from './fluxConnect';
import { examples } from './fluxConnect.examples';

describe('upbound:flux:connect examples', () => {
  it.each(examples.map(e => [e.description, e] as const))('%s', async (_, example) => {
    const { service, app } = createFakeUpbound();
    app.upsert({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'platform', namespace: 'flux-system' },
    });
    app.upsert({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'ctp-a-kubeconfig', namespace: 'flux-system' },
      data: {
        value: Buffer.from(buildKubeconfig({ name: 'ctp-a', server: CP_SERVER, token: 't' })).toString('base64'),
      },
    });
    const action = createFluxConnectAction({
      upbound: service,
      permissions: permissionsAnswering(),
      handoff: testHandoff(),
    });
    await action.handler(actionContext(exampleInput(example)).ctx as any);
    expect(app.all().some(o => o.kind === 'Kustomization')).toBe(true);
  });
});
