import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type {
  AppClusterSummary,
  ClaimApi,
  ClaimDelivery,
  ClaimList,
  ClaimListQuery,
  ConnectionsResponse,
  ControlPlaneList,
  GitOpsStatusResponse,
  KubeEvent,
  ResourceGraph,
} from '@upbound-backstage/plugin-upbound-common';
import type {
  ControlPlaneDetails,
  EntityTarget,
  GraphNodeRef,
  KubeObjectResponse,
  UpboundApi,
} from './UpboundApi';

type Query = Record<string, string | number | undefined>;

/**
 * Default {@link UpboundApi} implementation; talks to the `upbound` backend plugin.
 * @public
 */
export class UpboundClient implements UpboundApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    if (!options?.discoveryApi || !options?.fetchApi) {
      throw new TypeError('UpboundClient needs a discoveryApi and a fetchApi');
    }
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  /** {@inheritdoc UpboundApi.listControlPlanes} */
  listControlPlanes(): Promise<ControlPlaneList> {
    return this.get('/controlplanes');
  }

  /** {@inheritdoc UpboundApi.getControlPlane} */
  getControlPlane(id: string): Promise<ControlPlaneDetails> {
    return this.get(cp(id));
  }

  /** {@inheritdoc UpboundApi.listClaimApis} */
  listClaimApis(id: string): Promise<{ items: ClaimApi[] }> {
    return this.get(`${cp(id)}/claim-apis`);
  }

  /** {@inheritdoc UpboundApi.listClaims} */
  listClaims(id: string, options: ClaimListQuery = {}): Promise<ClaimList> {
    return this.get(`${cp(id)}/claims`, { ...options });
  }

  /** {@inheritdoc UpboundApi.getConnections} */
  getConnections(id: string): Promise<ConnectionsResponse> {
    return this.get(`${cp(id)}/connections`);
  }

  /** {@inheritdoc UpboundApi.getGitOpsStatus} */
  getGitOpsStatus(id: string): Promise<GitOpsStatusResponse> {
    return this.get(`${cp(id)}/gitops`);
  }

  /** {@inheritdoc UpboundApi.listAppClusters} */
  listAppClusters(): Promise<{ items: AppClusterSummary[] }> {
    return this.get('/app-clusters');
  }

  /** {@inheritdoc UpboundApi.getEntityTarget} */
  getEntityTarget(entity: CompoundEntityRef): Promise<EntityTarget> {
    return this.get(`${entityPath(entity)}/target`);
  }

  /** {@inheritdoc UpboundApi.getEntityGraph} */
  getEntityGraph(entity: CompoundEntityRef): Promise<ResourceGraph> {
    return this.get(`${entityPath(entity)}/graph`);
  }

  /** {@inheritdoc UpboundApi.getEntityDelivery} */
  getEntityDelivery(entity: CompoundEntityRef): Promise<ClaimDelivery> {
    return this.get(`${entityPath(entity)}/delivery`);
  }

  /** {@inheritdoc UpboundApi.getEntityEvents} */
  getEntityEvents(
    entity: CompoundEntityRef,
    node?: GraphNodeRef,
  ): Promise<{ items: KubeEvent[] }> {
    return this.get(`${entityPath(entity)}/events`, nodeQuery(node));
  }

  /** {@inheritdoc UpboundApi.getEntityObject} */
  getEntityObject(entity: CompoundEntityRef, node?: GraphNodeRef): Promise<KubeObjectResponse> {
    return this.get(`${entityPath(entity)}/object`, nodeQuery(node));
  }

  /** {@inheritdoc UpboundApi.setEntityPaused} */
  setEntityPaused(entity: CompoundEntityRef, paused: boolean): Promise<{ paused: boolean }> {
    return this.post(`${entityPath(entity)}/pause`, { paused });
  }

  /** {@inheritdoc UpboundApi.reconcileEntity} */
  reconcileEntity(entity: CompoundEntityRef): Promise<{ requestedAt: string }> {
    return this.post(`${entityPath(entity)}/reconcile`, {});
  }

  /** {@inheritdoc UpboundApi.syncArgoApplication} */
  syncArgoApplication(
    instance: string,
    namespace: string,
    name: string,
  ): Promise<{ phase?: string }> {
    const path = ['argocd', instance, 'applications', namespace, name, 'sync']
      .map(encodeURIComponent)
      .join('/');
    return this.post(`/${path}`, {});
  }

  private async get<T>(path: string, query?: Query): Promise<T> {
    const url = `${await this.baseUrl()}${path}${toQueryString(query)}`;
    return this.handleResponse<T>(await this.fetchApi.fetch(url));
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    const response = await this.fetchApi.fetch(`${await this.baseUrl()}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return this.handleResponse<T>(response);
  }

  private baseUrl(): Promise<string> {
    return this.discoveryApi.getBaseUrl('upbound');
  }

  private async handleResponse<T>(response: Response): Promise<T> {
    if (!response.ok) {
      const error = await ResponseError.fromResponse(response);
      // A 404 that is not the backend's own NotFoundError means the backend plugin is not installed.
      if (response.status === 404 && error.body?.error?.name !== 'NotFoundError') {
        error.message = `${error.message}. Make sure the Upbound backend plugin (@upbound-backstage/plugin-upbound-backend) is installed.`;
      }
      throw error;
    }
    return (await response.json()) as T;
  }
}

function cp(id: string): string {
  // Control plane ids contain slashes but are one path segment.
  return `/controlplanes/${encodeURIComponent(id)}`;
}

function entityPath(ref: CompoundEntityRef): string {
  return `/entities/${[ref.kind, ref.namespace, ref.name].map(encodeURIComponent).join('/')}`;
}

function nodeQuery(node?: GraphNodeRef): Query | undefined {
  if (!node) return undefined;
  return {
    nodeApiVersion: node.apiVersion,
    nodeKind: node.kind,
    nodeNamespace: node.namespace,
    nodeName: node.name,
  };
}

function toQueryString(query?: Query): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}
