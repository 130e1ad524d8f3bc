import {
  CONNECTOR_LABEL_APP_CLUSTER,
  summarizeCondition,
  conditionsOf,
  type ClusterError,
  type ConnectionsResponse,
  type ConnectorConnection,
} from '@upbound-backstage/plugin-upbound-common';
import type {
  AppCluster,
  ControlPlane,
  UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import { ClaimService, claimTargetOf, type ClaimTarget } from './ClaimService';
import { toClusterError } from './kubeErrors';

type ApiServiceStatus = ConnectorConnection['apiServices'][number];

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

    const byCluster = new Map<
      string,
      { namespaces: Set<string>; count: number }
    >();
    for (const claim of items) {
      const id = claim.labels?.[CONNECTOR_LABEL_APP_CLUSTER];
      if (!id) continue;
      const entry = byCluster.get(id) ?? {
        namespaces: new Set<string>(),
        count: 0,
      };
      if (claim.namespace) entry.namespaces.add(claim.namespace);
      entry.count++;
      byCluster.set(id, entry);
    }

    // Only app clusters with claims here: APIServices alone cannot tell which control plane a
    // connector serves when several control planes offer the same claim API groups.
    const configured = this.upbound
      .appClusters()
      .filter(c => c.clusterId && byCluster.has(c.clusterId));
    const clusterErrors: ClusterError[] = [];
    const apiServices = new Map<string, ApiServiceStatus[]>();
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
      const cluster = configured.find(c => c.clusterId === clusterId);
      connections.push({
        clusterId,
        ...(cluster ? { appCluster: cluster.name } : {}),
        claimNamespaces: [...entry.namespaces].sort(),
        claimCount: entry.count,
        apiServices: cluster ? apiServices.get(cluster.name) ?? [] : [],
      });
    }
    connections.sort((a, b) =>
      (a.appCluster ?? a.clusterId).localeCompare(b.appCluster ?? b.clusterId),
    );
    return { connections, errors: [...errors, ...clusterErrors] };
  }

  /** APIServices for the claim API groups that are served by an extension API server. */
  async #apiServices(
    cluster: AppCluster,
    groups: Set<string>,
  ): Promise<ApiServiceStatus[]> {
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
