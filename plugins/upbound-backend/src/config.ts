import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { DEFAULT_GRAPH_TTL_MS } from './service/ResourceGraphBuilder';
import {
  DEFAULT_COUNTS_CONCURRENCY,
  DEFAULT_COUNTS_TTL_MS,
} from './service/ControlPlaneService';

/** Settings of the backend plugin under `upbound.backend`. @public */
export interface UpboundBackendConfig {
  graphTtlMs: number;
  countsTtlMs: number;
  countsConcurrency: number;
}

function nonNegative(config: Config, key: string, fallback: number): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new InputError(
      `upbound.backend.${key} must be a number >= 0, got ${value}`,
    );
  }
  return value;
}

/** Reads `upbound.backend` once, with defaults. @public */
export function readBackendConfig(root: Config): UpboundBackendConfig {
  const config = root.getOptionalConfig('upbound.backend');
  if (!config) {
    return {
      graphTtlMs: DEFAULT_GRAPH_TTL_MS,
      countsTtlMs: DEFAULT_COUNTS_TTL_MS,
      countsConcurrency: DEFAULT_COUNTS_CONCURRENCY,
    };
  }
  const countsConcurrency = nonNegative(
    config,
    'concurrency.controlPlanes',
    DEFAULT_COUNTS_CONCURRENCY,
  );
  if (countsConcurrency < 1) {
    throw new InputError(
      'upbound.backend.concurrency.controlPlanes must be at least 1',
    );
  }
  return {
    graphTtlMs: nonNegative(config, 'cache.graphTtlMs', DEFAULT_GRAPH_TTL_MS),
    countsTtlMs: nonNegative(
      config,
      'cache.countsTtlMs',
      DEFAULT_COUNTS_TTL_MS,
    ),
    countsConcurrency,
  };
}
