import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { upboundServiceRef } from '@upbound-backstage/plugin-upbound-node';
import { createFakeUpboundService } from '@upbound-backstage/plugin-upbound-node/testUtils';
import { catalogModuleUpbound } from './module';
import { UpboundEntityProvider } from './providers/UpboundEntityProvider';

async function start(config: object) {
  const addEntityProvider = jest.fn();
  const addProcessor = jest.fn();
  const scheduler = mockServices.scheduler.mock();
  await startTestBackend({
    extensionPoints: [
      [catalogProcessingExtensionPoint, { addEntityProvider, addProcessor }],
    ],
    features: [
      catalogModuleUpbound,
      mockServices.rootConfig.factory({ data: config }),
      scheduler.factory,
      catalogServiceMock.factory(),
      createServiceFactory({
        service: upboundServiceRef,
        deps: {},
        factory: () => createFakeUpboundService(),
      }),
    ],
  });
  return { addEntityProvider, addProcessor, scheduler };
}

describe('catalogModuleUpbound', () => {
  it('registers the provider, whose full sync is scheduled with the configured schedule and scope global', async () => {
    const { addEntityProvider, addProcessor, scheduler } = await start({
      catalog: {
        providers: {
          upbound: {
            schedule: { frequency: { minutes: 2 }, timeout: { minutes: 1 } },
          },
        },
      },
    });
    expect(addEntityProvider).toHaveBeenCalledTimes(1);
    const [providers] = addEntityProvider.mock.calls[0];
    expect(providers).toHaveLength(1);
    const provider = providers[0] as UpboundEntityProvider;
    expect(provider.getProviderName()).toBe('upbound-provider:default');
    expect(addProcessor).toHaveBeenCalledWith(
      expect.objectContaining({
        getProcessorName: expect.any(Function),
      }),
    );
    expect(addProcessor.mock.calls[0][0].getProcessorName()).toBe(
      'UpboundStatusProcessor',
    );

    await provider.connect({ applyMutation: jest.fn(), refresh: jest.fn() });
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'upbound-provider:default:refresh',
        frequency: { minutes: 2 },
        timeout: { minutes: 1 },
        scope: 'global',
      }),
    );
    await provider.stop();
  });

  it('registers nothing and schedules nothing when disabled', async () => {
    const { addEntityProvider, addProcessor, scheduler } = await start({
      catalog: { providers: { upbound: { enabled: false } } },
    });
    expect(addEntityProvider).toHaveBeenCalledWith([]);
    expect(addProcessor).not.toHaveBeenCalled();
    expect(scheduler.scheduleTask).not.toHaveBeenCalled();
    expect(scheduler.createScheduledTaskRunner).not.toHaveBeenCalled();
  });
});
