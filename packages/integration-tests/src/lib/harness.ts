import {
  createBackendModule,
  type BackendFeature,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import {
  catalogProcessingExtensionPoint,
  type EntityProvider,
  type EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { LocalSpace } from '@internal/local-space';
import catalogModuleUpbound from '@upbound-backstage/plugin-catalog-backend-module-upbound';
import upboundPlugin from '@upbound-backstage/plugin-upbound-backend';
import {
  ANNOTATION_CONTROL_PLANE_ID,
  ANNOTATION_NAME,
} from '@upbound-backstage/plugin-upbound-common';
import {
  upboundServiceFactory,
  upboundServiceRef,
  type UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import fs from 'node:fs';
import { parse } from 'yaml';
import { CapturingLogger } from './CapturingLogger';

/** Control plane ids of the local Space. */
export const DEV_ID = 'space/local/platform/dev';
export const PROD_ID = 'space/local/team-a/prod';
/** The `/k8s` path of team-a/prod under the Space ingress. */
export const PROD_PATH =
  '/apis/spaces.upbound.io/v1beta1/namespaces/team-a/controlplanes/prod/k8s';

/** The local Space's app-config fragment as an object. */
export function spaceConfig(space: LocalSpace): Record<string, any> {
  return parse(fs.readFileSync(space.state.appConfigPath, 'utf8'));
}

/** A module that hands the shared Upbound service to the test. */
export function captureUpbound(onService: (s: UpboundService) => void) {
  return createBackendModule({
    pluginId: 'upbound',
    moduleId: 'test-capture',
    register(env) {
      env.registerInit({
        deps: { upbound: upboundServiceRef },
        async init({ upbound }) {
          onService(upbound);
        },
      });
    },
  });
}

/** Polls until `fn` returns a value other than undefined. */
export async function eventually<T>(
  fn: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`${what} not met in ${timeoutMs} ms`);
    await new Promise(r => setTimeout(r, 100));
  }
}

/**
 * Entities of one control plane, by entity ref. Claims that tests create (`it-*`) come and go while
 * suites run in parallel on one Space, so only seeded objects are kept.
 */
export function byControlPlane(
  entities: Entity[],
  cpId: string,
): Map<string, Entity> {
  return new Map(
    entities
      .filter(
        e =>
          e.metadata.annotations?.[ANNOTATION_CONTROL_PLANE_ID] === cpId &&
          !e.metadata.annotations?.[ANNOTATION_NAME]?.startsWith('it-'),
      )
      .map(e => [`${e.kind}:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`, e]),
  );
}

/** A backend with the Upbound plugin and catalog module, the provider driven by the test. */
export interface UpboundTestBackend {
  server: any;
  upbound: UpboundService;
  logger: CapturingLogger;
  mutations: EntityProviderMutation[];
  /** Runs one scheduled full sync, as the scheduler would. */
  fullSync(): Promise<void>;
  /** Entities of the last full mutation. */
  lastFull(): Entity[];
  provider: EntityProvider & { watchCount: number };
  stop(): Promise<void>;
}

/** Starts the Upbound backend plugin and catalog module on the real service with `config`. */
export async function startUpboundBackend(
  config: Record<string, any>,
  extra: BackendFeature[] = [],
): Promise<UpboundTestBackend> {
  const logger = new CapturingLogger();
  const scheduler = mockServices.scheduler.mock();
  // Full syncs run only when the test calls fullSync(); early triggers are accepted and ignored.
  scheduler.triggerTask.mockResolvedValue(undefined);
  let providers: any[] = [];
  let upbound: UpboundService | undefined;
  const backend = await startTestBackend({
    extensionPoints: [
      [
        catalogProcessingExtensionPoint,
        {
          addEntityProvider: (p: any) => (providers = [p].flat()),
          addProcessor: () => {},
        },
      ],
    ],
    features: [
      upboundPlugin,
      catalogModuleUpbound,
      upboundServiceFactory,
      captureUpbound(s => (upbound = s)),
      logger.factory(),
      scheduler.factory,
      mockServices.rootConfig.factory({ data: config }),
      catalogServiceMock.factory({ entities: [] }),
      ...extra,
    ],
  });
  const mutations: EntityProviderMutation[] = [];
  const provider = providers[0];
  await provider.connect({
    applyMutation: async (m: EntityProviderMutation) => {
      mutations.push(m);
    },
    refresh: async () => {},
  });
  const task = scheduler.scheduleTask.mock.calls[0][0];
  return {
    server: backend.server,
    upbound: upbound!,
    logger,
    mutations,
    provider,
    fullSync: () => task.fn(new AbortController().signal) as Promise<void>,
    lastFull() {
      const m = [...mutations].reverse().find(x => x.type === 'full');
      if (m?.type !== 'full') throw new Error('no full mutation yet');
      return m.entities.map(d => d.entity);
    },
    stop: () => backend.stop(),
  };
}
