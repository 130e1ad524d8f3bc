import { ConfigReader } from '@backstage/config';
import { readUpboundProviderConfig } from './config';

describe('readUpboundProviderConfig', () => {
  it('applies defaults when the section is absent', () => {
    expect(readUpboundProviderConfig(new ConfigReader({}))).toEqual({
      id: 'default',
      enabled: true,
      schedule: { frequency: { minutes: 5 }, timeout: { minutes: 3 } },
      watch: true,
      entities: {
        controlPlanes: true,
        claimApis: true,
        claims: true,
        appClusters: true,
      },
      templates: { enabled: false, namespace: 'default' },
      defaultOwner: 'group:default/unknown',
      ownerLabel: 'upbound.io/owner',
      namespaceOwners: {},
      concurrency: 4,
      controlPlaneTimeoutMs: 60_000,
    });
  });

  it('reads every key and normalizes entity refs', () => {
    const c = readUpboundProviderConfig(
      new ConfigReader({
        catalog: {
          providers: {
            upbound: {
              enabled: false,
              schedule: {
                frequency: { minutes: 1 },
                timeout: 'PT30S',
                initialDelay: { seconds: 5 },
              },
              watch: false,
              entities: { appClusters: false },
              templates: {
                enabled: true,
                owner: 'platform',
                namespace: 'apps',
              },
              defaultOwner: 'group:default/platform',
              ownerLabel: 'example.com/team',
              namespaceOwners: { 'team-a': 'team-a', 'team-b': 'user:jane' },
              system: 'crossplane',
              concurrency: 2,
              controlPlaneTimeout: '15s',
            },
          },
        },
      }),
    );
    expect(c).toMatchObject({
      enabled: false,
      schedule: {
        frequency: { minutes: 1 },
        timeout: { seconds: 30 },
        initialDelay: { seconds: 5 },
      },
      watch: false,
      entities: {
        controlPlanes: true,
        claimApis: true,
        claims: true,
        appClusters: false,
      },
      templates: {
        enabled: true,
        owner: 'group:default/platform',
        namespace: 'apps',
      },
      ownerLabel: 'example.com/team',
      namespaceOwners: {
        'team-a': 'group:default/team-a',
        'team-b': 'user:default/jane',
      },
      system: 'system:default/crossplane',
      concurrency: 2,
      controlPlaneTimeoutMs: 15_000,
    });
  });

  it('names the key of an invalid value', () => {
    expect(() =>
      readUpboundProviderConfig(
        new ConfigReader({
          catalog: { providers: { upbound: { concurrency: 0 } } },
        }),
      ),
    ).toThrow(
      'catalog.providers.upbound.concurrency must be a positive integer',
    );
  });
});
