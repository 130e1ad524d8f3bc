import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { readDurationFromConfig, type Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';

/** Default schedule of the full sync. @public */
export const DEFAULT_UPBOUND_PROVIDER_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 5 },
    timeout: { minutes: 3 },
  };
/** @public */
export const DEFAULT_OWNER = 'group:default/unknown';
/** @public */
export const DEFAULT_OWNER_LABEL = 'upbound.io/owner';
const DEFAULT_CONCURRENCY = 4;
const DEFAULT_CONTROL_PLANE_TIMEOUT_MS = 60_000;

/** The parsed `catalog.providers.upbound` config. @public */
export interface UpboundProviderConfig {
  /** Provider id, part of the provider name and locationKey. */
  id: string;
  enabled: boolean;
  schedule: SchedulerServiceTaskScheduleDefinition;
  watch: boolean;
  entities: {
    controlPlanes: boolean;
    claimApis: boolean;
    claims: boolean;
    appClusters: boolean;
  };
  templates: { enabled: boolean; owner?: string; namespace: string };
  defaultOwner: string;
  ownerLabel: string;
  namespaceOwners: Record<string, string>;
  system?: string;
  concurrency: number;
  controlPlaneTimeoutMs: number;
}

const CONFIG_KEY = 'catalog.providers.upbound';

function ownerRef(value: string, key: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch (e) {
    throw new InputError(
      `Invalid entity ref '${value}' at ${CONFIG_KEY}.${key}: ${e}`,
    );
  }
}

/**
 * Reads `catalog.providers.upbound` once, applying defaults. Invalid values throw at startup and
 * name the key.
 * @public
 */
export function readUpboundProviderConfig(root: Config): UpboundProviderConfig {
  const c = root.getOptionalConfig(CONFIG_KEY);
  const entities = c?.getOptionalConfig('entities');
  const templates = c?.getOptionalConfig('templates');
  const defaultOwner = ownerRef(
    c?.getOptionalString('defaultOwner') ?? DEFAULT_OWNER,
    'defaultOwner',
  );
  const namespaceOwners: Record<string, string> = {};
  const owners = c?.getOptionalConfig('namespaceOwners');
  for (const ns of owners?.keys() ?? []) {
    namespaceOwners[ns] = ownerRef(
      owners!.getString(ns),
      `namespaceOwners.${ns}`,
    );
  }
  const concurrency =
    c?.getOptionalNumber('concurrency') ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InputError(
      `${CONFIG_KEY}.concurrency must be a positive integer, got ${concurrency}`,
    );
  }
  const controlPlaneTimeoutMs = c?.has('controlPlaneTimeout')
    ? durationToMilliseconds(
        readDurationFromConfig(c, { key: 'controlPlaneTimeout' }),
      )
    : DEFAULT_CONTROL_PLANE_TIMEOUT_MS;
  const system = c?.getOptionalString('system');
  const templateOwner = templates?.getOptionalString('owner');
  return {
    id: 'default',
    enabled: c?.getOptionalBoolean('enabled') ?? true,
    schedule: c?.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          c.getConfig('schedule'),
        )
      : DEFAULT_UPBOUND_PROVIDER_SCHEDULE,
    watch: c?.getOptionalBoolean('watch') ?? true,
    entities: {
      controlPlanes: entities?.getOptionalBoolean('controlPlanes') ?? true,
      claimApis: entities?.getOptionalBoolean('claimApis') ?? true,
      claims: entities?.getOptionalBoolean('claims') ?? true,
      appClusters: entities?.getOptionalBoolean('appClusters') ?? true,
    },
    templates: {
      enabled: templates?.getOptionalBoolean('enabled') ?? false,
      ...(templateOwner
        ? { owner: ownerRef(templateOwner, 'templates.owner') }
        : {}),
      namespace: templates?.getOptionalString('namespace') ?? 'default',
    },
    defaultOwner,
    ownerLabel: c?.getOptionalString('ownerLabel') ?? DEFAULT_OWNER_LABEL,
    namespaceOwners,
    ...(system
      ? {
          system: stringifyEntityRef(
            parseEntityRef(system, {
              defaultKind: 'system',
              defaultNamespace: 'default',
            }),
          ),
        }
      : {}),
    concurrency,
    controlPlaneTimeoutMs,
  };
}
