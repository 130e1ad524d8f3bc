import { coreServices, type ServiceRef } from '@backstage/backend-plugin-api';
import { durationToMilliseconds, type HumanDuration } from '@backstage/types';
import type { UpboundService } from '../types';
import { DefaultUpboundService } from './DefaultUpboundService';

const FALLBACK_FREQUENCY_MS = 2 * 60_000;

function toMs(value: unknown): number | undefined {
  if (!value || typeof value !== 'object') return undefined;
  return durationToMilliseconds(value as HumanDuration);
}

/**
 * The options of the Upbound service factory. Root scoped (one inventory, token cache and client
 * set per backend); the plugin-scoped scheduler is not available to root services, so discovery
 * runs on its own timer, stopped on shutdown.
 */
export function createUpboundServiceFactoryOptions(
  service: ServiceRef<UpboundService, 'root'>,
) {
  return {
    service,
    deps: {
      config: coreServices.rootConfig,
      logger: coreServices.rootLogger,
      lifecycle: coreServices.rootLifecycle,
    },
    factory({
      config,
      logger,
      lifecycle,
    }: {
      config: typeof coreServices.rootConfig.T;
      logger: typeof coreServices.rootLogger.T;
      lifecycle: typeof coreServices.rootLifecycle.T;
    }): UpboundService {
      const upbound = new DefaultUpboundService({
        config,
        logger: logger.child({ service: 'upbound' }),
      });
      const schedule = upbound.config.discovery.schedule;
      const frequencyMs = toMs(schedule.frequency);
      if (frequencyMs === undefined) {
        logger.warn(
          'upbound.discovery.schedule.frequency must be a duration here (cron and manual are not supported); using 2 minutes',
        );
      }
      upbound.start({
        frequencyMs: frequencyMs ?? FALLBACK_FREQUENCY_MS,
        initialDelayMs: toMs(schedule.initialDelay) ?? 0,
      });
      lifecycle.addShutdownHook(() => upbound.stop());
      return upbound;
    },
  };
}
