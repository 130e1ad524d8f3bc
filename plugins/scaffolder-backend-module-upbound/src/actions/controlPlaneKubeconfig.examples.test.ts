import {
  actionContext,
  permissionsAnswering,
  testHandoff,
  USER_SECRET_TOKEN,
} from '../__testUtils__/context';
import { exampleInput } from '../__testUtils__/examples';
import { createFakeUpbound } from '../__testUtils__/fakeUpbound';
import { createControlPlaneKubeconfigAction } from './controlPlaneKubeconfig';
import { examples } from './controlPlaneKubeconfig.examples';

describe('upbound:controlplane:kubeconfig examples', () => {
  it.each(examples.map(e => [e.description, e] as const))('%s', async (_, example) => {
    const { service } = createFakeUpbound();
    const action = createControlPlaneKubeconfigAction({
      upbound: service,
      permissions: permissionsAnswering(),
      handoff: testHandoff(),
    });
    const secrets = { upboundToken: USER_SECRET_TOKEN };
    const { ctx, outputs } = actionContext(exampleInput(example, secrets), { secrets });
    await action.handler(ctx as any);
    expect(outputs.kubeconfig).toContain('current-context: ctp-a');
    expect(outputs.kubeconfig).toContain(USER_SECRET_TOKEN);
  });
});
