import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { upboundServiceRef } from '../serviceRef';
import type { UpboundService } from '../types';
import { upboundServiceFactory } from './upboundServiceFactory';

function probePlugin(found: UpboundService[]) {
  return createBackendPlugin({
    pluginId: 'probe',
    register(env) {
      env.registerInit({
        deps: { upbound: upboundServiceRef },
        async init({ upbound }) {
          found.push(upbound);
        },
      });
    },
  });
}

const data = {
  upbound: {
    appClusters: [{ name: 'app-1', url: 'https://app.test', token: 't' }],
    discovery: {
      schedule: { frequency: { hours: 1 }, timeout: { minutes: 1 } },
    },
  },
};

describe('upboundServiceFactory', () => {
  it('is the default factory of the ref: one shared root instance', async () => {
    const found: UpboundService[] = [];
    const backend = await startTestBackend({
      features: [probePlugin(found), mockServices.rootConfig.factory({ data })],
    });
    expect(found).toHaveLength(1);
    expect(found[0].appClusters().map(a => a.name)).toEqual(['app-1']);
    expect((await found[0].inventory()).controlPlanes).toEqual([]);
    await backend.stop();
  });

  it('can be installed explicitly', async () => {
    const found: UpboundService[] = [];
    const backend = await startTestBackend({
      features: [
        probePlugin(found),
        upboundServiceFactory,
        mockServices.rootConfig.factory({ data }),
      ],
    });
    expect(found[0].argoCdInstances()).toEqual([]);
    await backend.stop();
  });

  it('fails startup with a message naming the bad key', async () => {
    await expect(
      startTestBackend({
        features: [
          probePlugin([]),
          mockServices.rootConfig.factory({
            data: {
              upbound: {
                appClusters: [{ name: 'a', url: 'http://a.test', token: 't' }],
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow('upbound.appClusters[0].url must be an https URL');
  });
});
