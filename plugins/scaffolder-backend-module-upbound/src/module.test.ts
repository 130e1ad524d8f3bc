import { createServiceFactory } from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { upboundServiceRef } from '@upbound-backstage/plugin-upbound-node';
import { createFakeUpbound } from './__testUtils__/fakeUpbound';
import { scaffolderModuleUpbound } from './module';

describe('scaffolderModuleUpbound', () => {
  it('registers every upbound action with examples and dry-run support', async () => {
    const addActions = jest.fn();
    const { service } = createFakeUpbound();
    await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [
        scaffolderModuleUpbound,
        createServiceFactory({ service: upboundServiceRef, deps: {}, factory: () => service }),
      ],
    });
    const actions = addActions.mock.calls.flat();
    expect(actions.map((a: any) => a.id).sort()).toEqual([
      'upbound:argocd:connect',
      'upbound:claim:create',
      'upbound:connector:install',
      'upbound:connector:uninstall',
      'upbound:controlplane:kubeconfig',
      'upbound:flux:connect',
    ]);
    for (const action of actions) {
      expect(action.supportsDryRun).toBe(true);
      expect(action.examples.length).toBeGreaterThan(0);
      expect(action.schema.input).toBeDefined();
    }
  });
});
