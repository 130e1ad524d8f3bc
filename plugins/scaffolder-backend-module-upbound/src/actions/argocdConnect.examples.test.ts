import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  actionContext,
  permissionsAnswering,
  testHandoff,
  USER_SECRET_TOKEN,
} from '../__testUtils__/context';
import { exampleInput } from '../__testUtils__/examples';
import { createFakeUpbound } from '../__testUtils__/fakeUpbound';
import { createArgoCdConnectAction } from './argocdConnect';
import { examples } from './argocdConnect.examples';

describe('upbound:argocd:connect examples', () => {
  const mockDir = createMockDirectory();
  it.each(examples.map(e => [e.description, e] as const))('%s', async (_, example) => {
    const { service, app } = createFakeUpbound();
    const action = createArgoCdConnectAction({
      upbound: service,
      permissions: permissionsAnswering(),
      handoff: testHandoff(),
    });
    const secrets = { upboundToken: USER_SECRET_TOKEN };
    const input = exampleInput(example, secrets);
    const { ctx, outputs } = actionContext(input, { workspacePath: mockDir.path, secrets });
    await action.handler(ctx as any);
    expect(app.all().some(o => o.kind === 'Secret')).toBe(true);
    const manifest = input.mode === 'manifest';
    expect(typeof outputs.manifestPath).toBe(manifest ? 'string' : 'undefined');
    expect(app.all().some(o => o.kind === 'Application')).toBe(!manifest);
  });
});
