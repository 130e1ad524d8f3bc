import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { readDurationFromConfig, type Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import {
  readOwnerConfig,
  UPBOUND_CONFIG_DEFAULTS,
} from '@upbound-backstage/plugin-upbound-node';

/** Default schedule of the full sync. @public */
export const DEFAULT_UPBOUND_PROVIDER_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 5 },
    timeout: { minutes: 3 },
  };
/** Owner of the entities nothing else names an owner for, unless `upbound.owners.default` is set. @public */
export const DEFAULT_OWNER = 'group:default/unknown';
/**
 * @public
 * @deprecated The owner key is `upbound.owners.label`; its default is `UPBOUND_CONFIG_DEFAULTS.ownerLabel` of the node library.
 */
export const DEFAULT_OWNER_LABEL = UPBOUND_CONFIG_DEFAULTS.ownerLabel;
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
  /** `upbound.owners.default`, else {@link DEFAULT_OWNER}. */
  defaultOwner: string;
  /** `upbound.owners.label`. */
  ownerLabel: string;
  /** `upbound.owners.namespaces`. */
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
 * Reads `catalog.providers.upbound` once, applying defaults, and the owner rule from
 * `upbound.owners` (the one place discovery and `upbound:claim:create` read it too). Invalid values
 * throw at startup and name the key.
 * @public
 */
export function readUpboundProviderConfig(root: Config): UpboundProviderConfig {
  const c = root.getOptionalConfig(CONFIG_KEY);
  const entities = c?.getOptionalConfig('entities');
  const templates = c?.getOptionalConfig('templates');
  // Its former keys (ownerLabel, namespaceOwners, defaultOwner) are read there, with a warning.
  const { owners } = readOwnerConfig(root);
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
    defaultOwner: owners.default ?? DEFAULT_OWNER,
    ownerLabel: owners.label,
    namespaceOwners: owners.namespaces,
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
