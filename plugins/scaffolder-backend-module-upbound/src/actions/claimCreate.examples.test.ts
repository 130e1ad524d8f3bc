import { createMockDirectory } from '@backstage/backend-test-utils';
import { actionContext, permissionsAnswering } from '../__testUtils__/context';
import { exampleInput } from '../__testUtils__/examples';
import { createFakeUpbound } from '../__testUtils__/fakeUpbound';
import { createClaimCreateAction } from './claimCreate';
import { examples } from './claimCreate.examples';

describe('upbound:claim:create examples', () => {
  const mockDir = createMockDirectory();
  it.each(examples.map(e => [e.description, e] as const))('%s', async (_, example) => {
    const { service, mcp } = createFakeUpbound();
    const action = createClaimCreateAction({ upbound: service, permissions: permissionsAnswering() });
    const input = exampleInput(example);
    const { ctx, outputs } = actionContext(input, { workspacePath: mockDir.path });
    await action.handler(ctx as any);
    expect(outputs.name).toBe('orders-db');
    const manifest = input.mode === 'manifest';
    expect(outputs.manifestPath).toBe(manifest ? input.targetPath : undefined);
    expect(mcp.all().some(o => o.kind === 'PostgreSQLInstance')).toBe(!manifest);
  });
});
