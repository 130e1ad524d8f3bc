import {
  CONNECTOR_LABEL_APP_CLUSTER,
  summarizeCondition,
  conditionsOf,
  type ClusterError,
  type ConnectionsResponse,
  type ConnectorConnection,
  type ConnectorInstall,
} from '@upbound-backstage/plugin-upbound-common';
import { gunzipSync } from 'node:zlib';
import type {
  AppCluster,
  ControlPlane,
  KubeObject,
  UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import { ClaimService, claimTargetOf, type ClaimTarget } from './ClaimService';
import { toClusterError } from '@upbound-backstage/plugin-upbound-node';

type ApiServiceStatus = ConnectorConnection['apiServices'][number];

const CONNECTOR_CHART = 'mcp-connector';
const MANAGED_BY = 'app.kubernetes.io/managed-by';

/**
 * Which control plane connector values target, in either key style (`mcp.*` of the `up` CLI and
 * the seed; `spaces.controlPlane.*` of the current docs). Only these fields are read: the values
 * also hold the token.
 */
function connectorTarget(values: any): {
  name?: string;
  group?: string;
  claimNamespace?: string;
  clusterId?: string;
} {
  const docs = values?.spaces?.controlPlane;
  if (docs && typeof docs.name === 'string') {
    return {
      name: docs.name,
      group: typeof docs.group === 'string' ? docs.group : undefined,
      claimNamespace: typeof docs.claimNamespace === 'string' ? docs.claimNamespace : undefined,
      clusterId: typeof values.clusterID === 'string' ? values.clusterID : undefined,
    };
  }
  const cli = values?.mcp;
  if (cli && typeof cli.name === 'string') {
    return {
      name: cli.name,
      claimNamespace: typeof cli.namespace === 'string' ? cli.namespace : undefined,
    };
  }
  return {};
}

/** Helm 3 release storage: the Secret's `release` is base64 of gzipped JSON. */
function decodeHelmRelease(secret: KubeObject): any | undefined {
  const data = (secret as any).data?.release;
  if (typeof data !== 'string') return undefined;
  try {
    const inner = Buffer.from(Buffer.from(data, 'base64').toString('utf8'), 'base64');
    return JSON.parse(gunzipSync(inner).toString('utf8'));
  } catch {
    return undefined;
  }
}

const withChartVersion = (v: string | undefined) => (v ? { chartVersion: v } : {});

/**
 * The chart version a Flux HelmRelease installs: what helm-controller last applied, else what it asks
 * for (`chart.spec.version`, or the tag of the OCIRepository its `chartRef` names).
 */
async function fluxChartVersion(cluster: AppCluster, hr: any): Promise<string | undefined> {
  const applied = hr.status?.history?.[0]?.chartVersion ?? hr.status?.lastAttemptedRevision;
  if (typeof applied === 'string') return applied;
  if (typeof hr.spec?.chart?.spec?.version === 'string') return hr.spec.chart.spec.version;
  const ref = hr.spec?.chartRef;
  if (ref?.kind !== 'OCIRepository' || !ref.name) return undefined;
  const type = await cluster.client
    .resolve('source.toolkit.fluxcd.io/v1', 'OCIRepository')
    .catch(() => undefined);
  const repo = type
    ? await cluster.client.tryGet(type, ref.name, ref.namespace ?? hr.metadata?.namespace).catch(() => undefined)
    : undefined;
  const tag = (repo as any)?.spec?.ref?.tag ?? (repo as any)?.spec?.ref?.semver;
  return typeof tag === 'string' ? tag : undefined;
}

/**
 * App clusters connected to a control plane through the MCP Connector: from the connector labels
 * on the control plane's claims and namespaced XRs, joined with the configured app clusters by
 * cluster id, plus each app cluster's APIServices for the control plane's claim API groups.
 * @public
 */
export class ConnectionsService {
  constructor(
    private readonly upbound: UpboundService,
    private readonly claims: ClaimService,
  ) {}

  async get(cp: ControlPlane): Promise<ConnectionsResponse> {
    const apis = await this.upbound.claimApis(cp.id);
    const targets = apis
      .map(claimTargetOf)
      .filter((t): t is ClaimTarget => !!t);
    const { items, errors } = await this.claims.listAll(cp, targets);
    const groups = new Set(apis.map(a => a.group));
    // What the connector registers per claim API: an APIService `<version>.<group>`.
    const wanted = apis
      .filter(a => a.claimKind || a.scope === 'Namespaced')
      .map(a => `${a.referenceableVersion ?? a.versions.find(v => v.served)?.name}.${a.group}`);

    const byCluster = new Map<
      string,
      { namespaces: Set<string>; count: number; byGroup: Map<string, number> }
    >();
    const entryOf = (id: string) => {
      let entry = byCluster.get(id);
      if (!entry) {
        entry = { namespaces: new Set(), count: 0, byGroup: new Map() };
        byCluster.set(id, entry);
      }
      return entry;
    };
    for (const claim of items) {
      const id = claim.labels?.[CONNECTOR_LABEL_APP_CLUSTER];
      if (!id) continue;
      const entry = entryOf(id);
      if (claim.namespace) entry.namespaces.add(claim.namespace);
      entry.count++;
      // An APIService serves one group/version; all versions of a group are the same objects.
      const group = claim.apiVersion.includes('/') ? claim.apiVersion.split('/')[0] : '';
      entry.byGroup.set(group, (entry.byGroup.get(group) ?? 0) + 1);
    }

    // Connector installs in every configured app cluster, matched to this control plane by their
    // values (APIServices alone cannot tell which control plane a connector serves).
    const clusterErrors: ClusterError[] = [];
    const installs = new Map<string, { cluster: AppCluster; installs: ConnectorInstall[] }>();
    await Promise.all(
      this.upbound.appClusters().map(async cluster => {
        try {
          const found = await this.#installs(cluster, cp);
          for (const { install, clusterId } of found) {
            const id = cluster.clusterId ?? clusterId ?? cluster.name;
            const entry = installs.get(id) ?? { cluster, installs: [] };
            entry.installs.push(install);
            installs.set(id, entry);
          }
        } catch (e) {
          clusterErrors.push(toClusterError(`app-cluster/${cluster.name}`, e));
        }
      }),
    );
    for (const [id, entry] of installs) {
      const connection = entryOf(id);
      for (const i of entry.installs) {
        if (i.claimNamespace) connection.namespaces.add(i.claimNamespace);
      }
    }

    const configured = this.upbound
      .appClusters()
      .filter(
        c =>
          (c.clusterId && byCluster.has(c.clusterId)) ||
          [...installs.values()].some(e => e.cluster.name === c.name),
      );
    const apiServices = new Map<string, Array<Omit<ApiServiceStatus, 'claimCount'>>>();
    await Promise.all(
      configured.map(async cluster => {
        try {
          const found = await this.#apiServices(cluster, groups);
          apiServices.set(cluster.name, found);
        } catch (e) {
          clusterErrors.push(toClusterError(`app-cluster/${cluster.name}`, e));
        }
      }),
    );

    const connections: ConnectorConnection[] = [];
    for (const [clusterId, entry] of byCluster) {
      const cluster =
        configured.find(c => c.clusterId === clusterId) ?? installs.get(clusterId)?.cluster;
      const found = installs.get(clusterId)?.installs;
      connections.push({
        clusterId,
        ...(cluster ? { appCluster: cluster.name } : {}),
        claimNamespaces: [...entry.namespaces].sort(),
        claimCount: entry.count,
        apiServices: (cluster ? apiServices.get(cluster.name) ?? [] : []).map(a => ({
          ...a,
          claimCount: entry.byGroup.get(a.group) ?? 0,
        })),
        ...(found ? { installs: found } : {}),
        ...(cluster && apiServices.has(cluster.name)
          ? {
              missingApiServices: wanted.filter(
                w => !apiServices.get(cluster.name)!.some(a => a.name === w),
              ),
            }
          : {}),
      });
    }
    connections.sort((a, b) =>
      (a.appCluster ?? a.clusterId).localeCompare(b.appCluster ?? b.clusterId),
    );
    return { connections, errors: [...errors, ...clusterErrors] };
  }

  /** Connector installs in an app cluster whose values target `cp` (Helm release Secrets, Flux HelmReleases). */
  async #installs(
    cluster: AppCluster,
    cp: ControlPlane,
  ): Promise<Array<{ install: ConnectorInstall; clusterId?: string }>> {
    const out: Array<{ install: ConnectorInstall; clusterId?: string }> = [];
    const matches = (t: ReturnType<typeof connectorTarget>) =>
      t.name === cp.name && (!t.group || !cp.group || t.group === cp.group);

    const secrets = await cluster.client.resolve('v1', 'Secret');
    const { items } = await cluster.client.list(secrets, { labelSelector: 'owner=helm' });
    // Only the newest revision of each release.
    const newest = new Map<string, any>();
    for (const secret of items) {
      const release = decodeHelmRelease(secret);
      if (release?.chart?.metadata?.name !== CONNECTOR_CHART) continue;
      const key = `${release.namespace}/${release.name}`;
      if ((newest.get(key)?.version ?? 0) < release.version) newest.set(key, { ...release, secret });
    }
    for (const release of newest.values()) {
      const target = connectorTarget(release.config);
      if (!matches(target)) continue;
      out.push({
        clusterId: target.clusterId,
        install: {
          via: 'helm',
          namespace: release.namespace,
          releaseName: release.name,
          ...(release.chart?.metadata?.version ? { chartVersion: release.chart.metadata.version } : {}),
          ...(target.claimNamespace ? { claimNamespace: target.claimNamespace } : {}),
          ...(release.info?.status ? { status: release.info.status } : {}),
          managedByBackstage: false,
        },
      });
    }

    const helmReleases = await cluster.client
      .resolve('helm.toolkit.fluxcd.io/v2', 'HelmRelease')
      .catch(() => undefined);
    if (helmReleases) {
      const { items: releases } = await cluster.client.list(helmReleases);
      for (const hr of releases as any[]) {
        const target = connectorTarget(hr.spec?.values);
        if (!matches(target)) continue;
        const releaseName = hr.spec?.releaseName ?? hr.metadata?.name;
        // The Helm release it produced is listed already.
        if (out.some(o => o.install.via === 'helm' && o.install.releaseName === releaseName)) continue;
        out.push({
          clusterId: target.clusterId,
          install: {
            via: 'flux',
            namespace: hr.metadata?.namespace,
            releaseName,
            ...withChartVersion(await fluxChartVersion(cluster, hr)),
            ...(target.claimNamespace ? { claimNamespace: target.claimNamespace } : {}),
            managedByBackstage: hr.metadata?.labels?.[MANAGED_BY] === 'backstage-upbound',
          },
        });
      }
    }
    return out;
  }

  /** APIServices for the claim API groups that are served by an extension API server. */
  async #apiServices(
    cluster: AppCluster,
    groups: Set<string>,
  ): Promise<Array<Omit<ApiServiceStatus, 'claimCount'>>> {
    if (groups.size === 0) return [];
    const type = await cluster.client.resolve(
      'apiregistration.k8s.io/v1',
      'APIService',
    );
    const { items } = await cluster.client.list(type);
    return items
      .filter(s => groups.has(s.spec?.group) && s.spec?.service)
      .map(s => ({
        name: s.metadata?.name ?? `${s.spec.version}.${s.spec.group}`,
        group: s.spec.group,
        version: s.spec.version,
        available: summarizeCondition(conditionsOf(s), 'Available'),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}
