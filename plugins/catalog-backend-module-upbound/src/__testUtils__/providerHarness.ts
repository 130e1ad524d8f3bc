/** Shared set-up of the provider tests: a fake Upbound service, a mocked connection and scheduler. */
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  createFakeUpboundService,
  resourceTypeOf,
  type FakeUpboundService,
} from '@upbound-backstage/plugin-upbound-node/testUtils';
import { fixtures } from '../__fixtures__';
import type { UpboundProviderConfig } from '../providers/config';
import { UpboundEntityProvider } from '../providers/UpboundEntityProvider';

export const CTP_A = 'space/local/platform/ctp-a';
export const CTP_B = 'space/local/platform/ctp-b';
export const postgresType = resourceTypeOf(
  'platform.example.org/v1alpha1',
  'PostgreSQLInstance',
  'postgresqlinstances',
);

export function claim(name: string, namespace = 'team-a', ready = 'True') {
  const c = structuredClone(fixtures.claimPostgres);
  c.metadata = { name, namespace };
  c.status.conditions[1] = {
    type: 'Ready',
    status: ready,
    reason: ready === 'True' ? 'Available' : 'Creating',
  };
  return c;
}

export function config(
  overrides: Partial<UpboundProviderConfig> = {},
): UpboundProviderConfig {
  return {
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
    defaultOwner: 'group:default/platform',
    ownerLabel: 'upbound.io/owner',
    namespaceOwners: {},
    concurrency: 4,
    controlPlaneTimeoutMs: 5_000,
    ...overrides,
  };
}

export function fakeUpbound(): FakeUpboundService {
  return createFakeUpboundService({
    controlPlanes: [
      {
        name: 'ctp-a',
        space: 'local',
        group: 'platform',
        objects: [
          fixtures.xrdV1,
          fixtures.xrdV2,
          claim('orders-db'),
          fixtures.xrBucket,
        ],
      },
      {
        name: 'ctp-b',
        space: 'local',
        group: 'platform',
        objects: [fixtures.xrdV1, claim('billing-db', 'team-b')],
      },
    ],
    appClusters: [
      { name: 'app-1', clusterId: '00000000-0000-0000-0000-000000000001' },
    ],
  });
}

export async function setup(
  options: {
    upbound?: FakeUpboundService;
    config?: Partial<UpboundProviderConfig>;
    catalogEntities?: Entity[] | Error;
  } = {},
) {
  const upbound = options.upbound ?? fakeUpbound();
  const logger = mockServices.logger.mock();
  logger.child.mockReturnValue(logger);
  const scheduler = mockServices.scheduler.mock();
  const catalog = catalogServiceMock.mock({
    getEntities: jest.fn(async () => {
      if (options.catalogEntities instanceof Error)
        throw options.catalogEntities;
      return { items: options.catalogEntities ?? [] };
    }),
  });
  const [provider] = UpboundEntityProvider.fromConfig(config(options.config), {
    logger,
    scheduler,
    upbound,
    catalog,
    auth: mockServices.auth(),
  });
  const mutations: EntityProviderMutation[] = [];
  const connection: EntityProviderConnection = {
    applyMutation: jest.fn(async m => {
      mutations.push(m);
    }),
    refresh: jest.fn(),
  };
  await provider.connect(connection);
  const fullSync = scheduler.scheduleTask.mock.calls[0][0]
    .fn as () => Promise<void>;
  const lastFull = () => {
    const m = [...mutations].reverse().find(x => x.type === 'full');
    if (m?.type !== 'full') throw new Error('no full mutation');
    return m.entities.map(d => d.entity);
  };
  const deltas = () =>
    mutations.filter(m => m.type === 'delta') as Extract<
      EntityProviderMutation,
      { type: 'delta' }
    >[];
  return {
    provider,
    upbound,
    logger,
    scheduler,
    catalog,
    connection,
    mutations,
    fullSync,
    lastFull,
    deltas,
  };
}

export const flush = () => new Promise(resolve => setImmediate(resolve));
export const byName = (entities: Entity[], title: string) =>
  entities.find(e => e.metadata.title === title);
export const annotation = (e: Entity | undefined, key: string) =>
  e?.metadata.annotations?.[key];
