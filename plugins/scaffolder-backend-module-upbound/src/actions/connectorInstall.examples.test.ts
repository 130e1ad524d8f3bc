import { createMockDirectory } from '@backstage/backend-test-utils';
import { actionContext, permissionsAnswering } from '../__testUtils__/context';
import { exampleInput } from '../__testUtils__/examples';
import { createFakeUpbound } from '../__testUtils__/fakeUpbound';
import { createConnectorInstallAction } from './connectorInstall';
import { examples } from './connectorInstall.examples';

describe('upbound:connector:install examples', () => {
  const mockDir = createMockDirectory();
  it.each(examples.map(e => [e.description, e] as const))('%s', async (_, example) => {
    const { service, mcp } = createFakeUpbound();
    const action = createConnectorInstallAction({ upbound: service, permissions: permissionsAnswering() });
    const { ctx } = actionContext(exampleInput(example), { workspacePath: mockDir.path });
    await action.handler(ctx as any);
    expect(mcp.all().some(o => o.kind === 'Namespace' && o.metadata?.name === 'app-1')).toBe(true);
  });
});
