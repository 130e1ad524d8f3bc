import type { Config } from '@backstage/config';
import { readSchedulerServiceTaskScheduleDefinitionFromConfig } from '@backstage/backend-plugin-api';
import type {
  AppClusterConfig,
  ArgoCdConfig,
  ClusterConnection,
  DirectControlPlaneConfig,
  FluxConfig,
  SpaceConfig,
  UpboundCloudConfig,
  UpboundConfig,
} from './types';
import { readCredentialHandoffConfig } from './readCredentialConfig';
import {
  DEFAULT_OWNER_LABEL,
  readOwnerConfig,
  readOwnerRef,
} from '../owners/readOwnerConfig';
import {
  connectionFromKubeconfig,
  readCa,
  UpboundConfigError,
} from './loadConnection';

/** Defaults of the `upbound` config. @public */
export const UPBOUND_CONFIG_DEFAULTS = {
  apiEndpoint: 'https://api.upbound.io',
  authEndpoint: 'https://auth.upbound.io',
  ownerLabel: DEFAULT_OWNER_LABEL,
  perClusterConcurrency: 8,
  discoveryConcurrency: 4,
  requestTimeoutMs: 10_000,
  discoverySchedule: {
    frequency: { minutes: 2 },
    timeout: { minutes: 1 },
    initialDelay: { seconds: 0 },
  },
} as const;

const NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function httpsUrl(key: string, value: string, allowHttp = false): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UpboundConfigError(key, 'must be an https URL');
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
    throw new UpboundConfigError(key, 'must be an https URL');
  }
  return value.replace(/\/+$/, '');
}

function name(config: Config, key: string, full: string): string {
  const value = config.getString(key);
  if (!NAME_PATTERN.test(value) || value.length > 63) {
    throw new UpboundConfigError(
      `${full}.${key}`,
      `must be a lower-case DNS label (a-z, 0-9, '-'), got '${value}'`,
    );
  }
  return value;
}

function positiveInt(
  config: Config,
  key: string,
  full: string,
  fallback: number,
): number {
  const value = config.getOptionalNumber(key);
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new UpboundConfigError(
      `${full}.${key}`,
      'must be a positive integer',
    );
  }
  return value;
}

function uniqueNames<T extends { name: string }>(items: T[], key: string): T[] {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.name)) {
      throw new UpboundConfigError(
        `${key}[${i}].name`,
        `'${item.name}' is used twice; names must be unique`,
      );
    }
    seen.add(item.name);
  });
  return items;
}

/**
 * Reads a connection block: `url` + `token`/`caData`/`caFile`/`dangerouslySkipTLSVerify`, or
 * `kubeconfig`/`kubeconfigPath` (+ `context`).
 */
function readConnection(c: Config, key: string): ClusterConnection {
  const kubeconfig = c.getOptionalString('kubeconfig');
  const kubeconfigPath = c.getOptionalString('kubeconfigPath');
  const url = c.getOptionalString('url');
  if (kubeconfig !== undefined && kubeconfigPath !== undefined) {
    throw new UpboundConfigError(
      key,
      'sets both kubeconfig and kubeconfigPath; keep one',
    );
  }
  if (kubeconfig !== undefined || kubeconfigPath !== undefined) {
    const conn = connectionFromKubeconfig({
      key,
      kubeconfig,
      kubeconfigPath,
      context: c.getOptionalString('context'),
    });
    const token = c.getOptionalString('token');
    return token ? { ...conn, token } : conn;
  }
  if (!url) {
    throw new UpboundConfigError(
      key,
      'needs either url (+ token) or kubeconfig/kubeconfigPath',
    );
  }
  const token = c.getOptionalString('token');
  if (!token) {
    throw new UpboundConfigError(
      `${key}.token`,
      'is required with url (a static bearer token)',
    );
  }
  const skip = c.getOptionalBoolean('dangerouslySkipTLSVerify') ?? false;
  const caData = readCa(
    key,
    c.getOptionalString('caData'),
    c.getOptionalString('caFile'),
  );
  return {
    server: httpsUrl(`${key}.url`, url),
    token,
    ...(caData ? { caData } : {}),
    ...(skip ? { dangerouslySkipTLSVerify: true } : {}),
  };
}

function readCloud(c: Config): UpboundCloudConfig | undefined {
  const organization = c.getOptionalString('organization');
  const token = c.getOptionalString('token');
  const enabled = c.getOptionalBoolean('cloud.enabled');
  if (!organization && !token) {
    if (enabled) {
      throw new UpboundConfigError(
        'upbound.cloud.enabled',
        'is true but upbound.organization and upbound.token are not set; set both',
      );
    }
    return undefined;
  }
  if (!organization) {
    throw new UpboundConfigError(
      'upbound.organization',
      'is required when upbound.token is set',
    );
  }
  if (!token) {
    throw new UpboundConfigError(
      'upbound.token',
      'is required when upbound.organization is set (a personal access token or robot token)',
    );
  }
  const spaces = c.getOptionalStringArray('cloud.spaces');
  return {
    enabled: enabled ?? true,
    organization,
    token,
    ...(spaces ? { spaces } : {}),
  };
}

function readSpaces(c: Config): SpaceConfig[] {
  return uniqueNames(
    (c.getOptionalConfigArray('spaces') ?? []).map((s, i) => {
      const key = `upbound.spaces[${i}]`;
      const hubConfig = s.getOptionalConfig('hub');
      if (!hubConfig) {
        throw new UpboundConfigError(
          `${key}.hub`,
          'is required (kubeconfigPath or kubeconfig of the Space hub)',
        );
      }
      const ingressConfig = s.getOptionalConfig('ingress');
      let ingress: SpaceConfig['ingress'];
      if (ingressConfig) {
        const host = ingressConfig
          .getString('host')
          .replace(/^https:\/\//, '')
          .replace(/\/+$/, '');
        if (!host || host.includes('/')) {
          throw new UpboundConfigError(
            `${key}.ingress.host`,
            `must be a host[:port] without a path, got '${host}'`,
          );
        }
        const caData = readCa(
          `${key}.ingress`,
          ingressConfig.getOptionalString('caData'),
          ingressConfig.getOptionalString('caFile'),
        );
        ingress = { host, ...(caData ? { caData } : {}) };
      }
      const token = s.getOptionalString('token');
      const owner = s.getOptionalString('owner');
      return {
        name: name(s, 'name', key),
        enabled: s.getOptionalBoolean('enabled') ?? true,
        hub: readHub(hubConfig, `${key}.hub`),
        ...(ingress ? { ingress } : {}),
        ...(token ? { token } : {}),
        ...(owner ? { owner: readOwnerRef(owner, `${key}.owner`) } : {}),
      };
    }),
    'upbound.spaces',
  );
}

function readHub(c: Config, key: string): ClusterConnection {
  const kubeconfig = c.getOptionalString('kubeconfig');
  const kubeconfigPath = c.getOptionalString('kubeconfigPath');
  if (
    kubeconfig === undefined &&
    kubeconfigPath === undefined &&
    !c.getOptionalString('url')
  ) {
    throw new UpboundConfigError(
      key,
      'needs kubeconfigPath or kubeconfig (the Space hub cluster)',
    );
  }
  return readConnection(c, key);
}

function readControlPlanes(c: Config): DirectControlPlaneConfig[] {
  return uniqueNames(
    (c.getOptionalConfigArray('controlPlanes') ?? []).map((cp, i) => {
      const key = `upbound.controlPlanes[${i}]`;
      const owner = cp.getOptionalString('owner');
      return {
        name: name(cp, 'name', key),
        enabled: cp.getOptionalBoolean('enabled') ?? true,
        connection: readConnection(cp, key),
        ...(owner ? { owner: readOwnerRef(owner, `${key}.owner`) } : {}),
      };
    }),
    'upbound.controlPlanes',
  );
}

function readAppClusters(c: Config): AppClusterConfig[] {
  return (c.getOptionalConfigArray('appClusters') ?? []).map((a, i) => {
    const key = `upbound.appClusters[${i}]`;
    const title = a.getOptionalString('title');
    const clusterId = a.getOptionalString('clusterId');
    return {
      name: name(a, 'name', key),
      ...(title ? { title } : {}),
      ...(clusterId ? { clusterId } : {}),
      source: 'upbound' as const,
      connection: readConnection(a, key),
    };
  });
}

/**
 * Clusters of @backstage/plugin-kubernetes (`kubernetes.clusterLocatorMethods[type=config]`).
 * Only clusters with a static service account token can be used; others are skipped with a warning.
 */
function readKubernetesPluginClusters(
  root: Config,
  warnings: string[],
): AppClusterConfig[] {
  const out: AppClusterConfig[] = [];
  (
    root.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? []
  ).forEach((m, mi) => {
    if (m.getOptionalString('type') !== 'config') return;
    (m.getOptionalConfigArray('clusters') ?? []).forEach((cl, ci) => {
      const key = `kubernetes.clusterLocatorMethods[${mi}].clusters[${ci}]`;
      const clusterName = cl.getString('name');
      const authProvider =
        cl.getOptionalString('authProvider') ??
        readAuthMetadata(cl, 'kubernetes.io/auth-provider');
      const token =
        cl.getOptionalString('serviceAccountToken') ??
        readAuthMetadata(cl, 'serviceAccountToken');
      if ((authProvider && authProvider !== 'serviceAccount') || !token) {
        warnings.push(
          `${key} ('${clusterName}') is skipped: only clusters with a static serviceAccountToken can be used`,
        );
        return;
      }
      const caData = readCa(
        key,
        cl.getOptionalString('caData'),
        cl.getOptionalString('caFile'),
      );
      const skip = cl.getOptionalBoolean('skipTLSVerify') ?? false;
      const title = cl.getOptionalString('title');
      out.push({
        name: clusterName,
        ...(title ? { title } : {}),
        source: 'kubernetes-plugin',
        connection: {
          server: httpsUrl(`${key}.url`, cl.getString('url')),
          token,
          ...(caData ? { caData } : {}),
          ...(skip ? { dangerouslySkipTLSVerify: true } : {}),
        },
      });
    });
  });
  return out;
}

function readAuthMetadata(c: Config, key: string): string | undefined {
  // Keys with dots and slashes cannot be addressed by path; read the object.
  const meta = c.getOptional<Record<string, unknown>>('authMetadata');
  const value = meta?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** The `appCluster` of a GitOps instance, which must name a configured app cluster. */
function readAppClusterRef(
  c: Config,
  key: string,
  appClusterNames: Set<string>,
): string {
  const appCluster = c.getString('appCluster');
  if (!appClusterNames.has(appCluster)) {
    throw new UpboundConfigError(
      `${key}.appCluster`,
      `names '${appCluster}', which is not a configured app cluster (known: ${
        [...appClusterNames].join(', ') || 'none'
      }); add it under upbound.appClusters`,
    );
  }
  return appCluster;
}

function readArgoCd(c: Config, appClusterNames: Set<string>): ArgoCdConfig[] {
  return uniqueNames(
    (c.getOptionalConfigArray('argocd') ?? []).map((a, i) => {
      const key = `upbound.argocd[${i}]`;
      const appCluster = readAppClusterRef(a, key, appClusterNames);
      const url = a.getOptionalString('url');
      const token = a.getOptionalString('token');
      const appClusterServer = a.getOptionalString('appClusterServer');
      return {
        name: name(a, 'name', key),
        appCluster,
        namespace: a.getOptionalString('namespace') ?? 'argocd',
        ...(url ? { url: httpsUrl(`${key}.url`, url, true) } : {}),
        ...(token ? { token } : {}),
        ...(appClusterServer
          ? {
              appClusterServer: httpsUrl(
                `${key}.appClusterServer`,
                appClusterServer,
                false,
              ),
            }
          : {}),
      };
    }),
    'upbound.argocd',
  );
}

function readFlux(c: Config, appClusterNames: Set<string>): FluxConfig[] {
  return uniqueNames(
    (c.getOptionalConfigArray('flux') ?? []).map((f, i) => {
      const key = `upbound.flux[${i}]`;
      const appCluster = readAppClusterRef(f, key, appClusterNames);
      return {
        name: name(f, 'name', key),
        appCluster,
        namespace: f.getOptionalString('namespace') ?? 'flux-system',
      };
    }),
    'upbound.flux',
  );
}

/**
 * Reads and validates the `upbound` config once, at startup. Every error names the key and the
 * fix; no error echoes a token or kubeconfig.
 * @public
 */
export function readUpboundConfig(root: Config): UpboundConfig {
  const c = root.getOptionalConfig('upbound');
  const { owners, warnings } = readOwnerConfig(root);
  if (!c) {
    return {
      endpoints: {
        api: UPBOUND_CONFIG_DEFAULTS.apiEndpoint,
        auth: UPBOUND_CONFIG_DEFAULTS.authEndpoint,
      },
      spaces: [],
      controlPlanes: [],
      appClusters: [],
      argocd: [],
      flux: [],
      owners,
      concurrency: {
        perCluster: UPBOUND_CONFIG_DEFAULTS.perClusterConcurrency,
        discovery: UPBOUND_CONFIG_DEFAULTS.discoveryConcurrency,
      },
      timeouts: { requestMs: UPBOUND_CONFIG_DEFAULTS.requestTimeoutMs },
      discovery: { schedule: UPBOUND_CONFIG_DEFAULTS.discoverySchedule },
      warnings,
    };
  }
  const cloud = readCloud(c);
  const endpoints = {
    api: httpsUrl(
      'upbound.endpoints.api',
      c.getOptionalString('endpoints.api') ??
        UPBOUND_CONFIG_DEFAULTS.apiEndpoint,
    ),
    auth: httpsUrl(
      'upbound.endpoints.auth',
      c.getOptionalString('endpoints.auth') ??
        UPBOUND_CONFIG_DEFAULTS.authEndpoint,
    ),
  };
  const appClusters = readAppClusters(c);
  if (c.getOptionalBoolean('useKubernetesPluginClusters')) {
    const own = new Set(appClusters.map(a => a.name));
    for (const k of readKubernetesPluginClusters(root, warnings)) {
      // A cluster configured for Upbound wins over the Kubernetes plugin's entry of the same name.
      if (!own.has(k.name)) appClusters.push(k);
    }
  }
  uniqueNames(appClusters, 'upbound.appClusters');
  const appClusterNames = new Set(appClusters.map(a => a.name));

  const scheduleConfig = c.getOptionalConfig('discovery.schedule');
  let schedule: UpboundConfig['discovery']['schedule'] =
    UPBOUND_CONFIG_DEFAULTS.discoverySchedule;
  if (scheduleConfig) {
    try {
      schedule =
        readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig);
    } catch (e) {
      throw new UpboundConfigError(
        'upbound.discovery.schedule',
        `is invalid: ${(e as Error).message}`,
      );
    }
  }

  // Validated here too, so a bad credential entry fails every backend at startup.
  readCredentialHandoffConfig(root);

  return {
    ...(cloud ? { cloud } : {}),
    endpoints,
    spaces: readSpaces(c),
    controlPlanes: readControlPlanes(c),
    appClusters,
    argocd: readArgoCd(c, appClusterNames),
    flux: readFlux(c, appClusterNames),
    owners,
    concurrency: {
      perCluster: positiveInt(
        c,
        'concurrency.perCluster',
        'upbound',
        UPBOUND_CONFIG_DEFAULTS.perClusterConcurrency,
      ),
      discovery: positiveInt(
        c,
        'concurrency.discovery',
        'upbound',
        UPBOUND_CONFIG_DEFAULTS.discoveryConcurrency,
      ),
    },
    timeouts: {
      requestMs: positiveInt(
        c,
        'timeouts.requestMs',
        'upbound',
        UPBOUND_CONFIG_DEFAULTS.requestTimeoutMs,
      ),
    },
    discovery: { schedule },
    warnings,
  };
}
