import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  actionContext,
  permissionsAnswering,
  testHandoff,
  USER_SECRET_TOKEN,
} from '../__testUtils__/context';
import { exampleInput } from '../__testUtils__/examples';
import { createFakeUpbound } from '../__testUtils__/fakeUpbound';
import { createConnectorInstallAction } from './connectorInstall';
import { examples } from './connectorInstall.examples';

describe('upbound:connector:install examples', () => {
  const mockDir = createMockDirectory();
  it.each(examples.map(e => [e.description, e] as const))('%s', async (_, example) => {
    const { service, mcp } = createFakeUpbound();
    const action = createConnectorInstallAction({
      upbound: service,
      permissions: permissionsAnswering(),
      handoff: testHandoff(),
    });
    const secrets = { upboundToken: USER_SECRET_TOKEN };
    const { ctx } = actionContext(exampleInput(example, secrets), {
      workspacePath: mockDir.path,
      secrets,
    });
    await action.handler(ctx as any);
    expect(mcp.all().some(o => o.kind === 'Namespace' && o.metadata?.name === 'app-1')).toBe(true);
  });
});
