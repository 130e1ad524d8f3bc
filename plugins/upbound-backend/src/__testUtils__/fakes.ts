/*
 * A small in-memory fake of the UpboundService / KubeClient contract for this package's tests.
 */
import { NotFoundError } from '@backstage/errors';
import {
  KubeError,
  type AppCluster,
  type ArgoCdInstance,
  type ClusterCallStats,
  type ControlPlane,
  type FluxInstance,
  type KubeClient,
  type KubeObject,
  type ListOptions,
  type ResourceType,
  type UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import type { ClaimApi } from '@upbound-backstage/plugin-upbound-common';

export function type(
  apiVersion: string,
  kind: string,
  plural: string,
  namespaced: boolean,
): ResourceType {
  const slash = apiVersion.indexOf('/');
  return {
    group: slash < 0 ? '' : apiVersion.slice(0, slash),
    version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1),
    apiVersion,
    kind,
    plural,
    namespaced,
  };
}

export const coreTypes = [
  type('v1', 'Event', 'events', true),
  type('events.k8s.io/v1', 'Event', 'events', true),
  type('v1', 'Secret', 'secrets', true),
  type('v1', 'ConfigMap', 'configmaps', true),
  type('apiregistration.k8s.io/v1', 'APIService', 'apiservices', false),
  type('argoproj.io/v1alpha1', 'Application', 'applications', true),
  type(
    'kustomize.toolkit.fluxcd.io/v1',
    'Kustomization',
    'kustomizations',
    true,
  ),
  type(
    'source.toolkit.fluxcd.io/v1',
    'GitRepository',
    'gitrepositories',
    true,
  ),
];

function matchesLabels(obj: KubeObject, selector?: string): boolean {
  if (!selector) return true;
  const labels = obj.metadata?.labels ?? {};
  const terms = selector.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  return terms.every(raw => {
    const t = raw.trim();
    const set = /^(\S+)\s+in\s+\((.*)\)$/.exec(t);
    if (set)
      return set[2]
        .split(',')
        .map(s => s.trim())
        .includes(labels[set[1]]);
    const eq = /^([^=!]+)(=|==|!=)(.*)$/.exec(t);
    if (eq)
      return eq[2] === '!=' ? labels[eq[1]] !== eq[3] : labels[eq[1]] === eq[3];
    return t in labels;
  });
}

function matchesFields(obj: KubeObject, selector?: string): boolean {
  if (!selector) return true;
  return selector.split(',').every(term => {
    const [path, value] = term.split('=');
    let cur: any = obj;
    for (const p of path.split('.')) cur = cur?.[p];
    return String(cur ?? '') === value;
  });
}

/** One fake cluster: objects by type, call log, optional failure for every call. */
export class FakeKubeClient implements KubeClient {
  readonly clusterId: string;
  readonly calls: Array<{
    verb: string;
    kind: string;
    name?: string;
    options?: ListOptions;
  }> = [];
  types: ResourceType[];
  objects: KubeObject[];
  failWith?: KubeError;
  /** Artificial latency, to test coalescing. */
  delayMs = 0;

  constructor(
    clusterId: string,
    types: ResourceType[],
    objects: KubeObject[] = [],
  ) {
    this.clusterId = clusterId;
    this.types = [...coreTypes, ...types];
    this.objects = objects;
  }

  get dataCalls() {
    return this.calls.filter(c => c.verb !== 'resolve');
  }

  async #call(
    verb: string,
    kind: string,
    name?: string,
    options?: ListOptions,
  ) {
    this.calls.push({ verb, kind, name, options });
    if (this.delayMs) await new Promise(r => setTimeout(r, this.delayMs));
    if (this.failWith) throw this.failWith;
  }

  #of(t: ResourceType) {
    return this.objects.filter(
      o => o.apiVersion === t.apiVersion && o.kind === t.kind,
    );
  }

  async resolve(apiVersion: string, kind: string): Promise<ResourceType> {
    await this.#call('resolve', kind);
    const t = this.types.find(
      x => x.apiVersion === apiVersion && x.kind === kind,
    );
    if (!t) {
      throw new KubeError({
        type: 'crd-missing',
        cluster: this.clusterId,
        message: `${this.clusterId}: ${kind} (${apiVersion}) is not served`,
      });
    }
    return t;
  }
  async resourceTypes() {
    return this.types;
  }
  async list<T = KubeObject>(t: ResourceType, options?: ListOptions) {
    await this.#call('list', t.kind, undefined, options);
    const items = this.#of(t).filter(
      o =>
        (!options?.namespace || o.metadata?.namespace === options.namespace) &&
        matchesLabels(o, options?.labelSelector) &&
        matchesFields(o, options?.fieldSelector),
    );
    return { items: structuredClone(items) as T[], resourceVersion: '1' };
  }
  async listPage<T = KubeObject>(t: ResourceType, options?: ListOptions) {
    return this.list<T>(t, options);
  }
  #find(t: ResourceType, name: string, namespace?: string) {
    return this.#of(t).find(
      o =>
        o.metadata?.name === name &&
        (!t.namespaced || (o.metadata?.namespace ?? '') === (namespace ?? '')),
    );
  }
  async get<T = KubeObject>(t: ResourceType, name: string, namespace?: string) {
    const o = await this.tryGet<T>(t, name, namespace);
    if (!o) {
      throw new KubeError({
        type: 'not-found',
        cluster: this.clusterId,
        statusCode: 404,
        message: `${this.clusterId}: ${t.kind} ${name} not found`,
      });
    }
    return o;
  }
  async tryGet<T = KubeObject>(
    t: ResourceType,
    name: string,
    namespace?: string,
  ) {
    await this.#call('get', t.kind, name);
    const o = this.#find(t, name, namespace);
    return o ? (structuredClone(o) as T) : undefined;
  }
  async apply<T = KubeObject>(obj: KubeObject): Promise<T> {
    return obj as T;
  }
  async mergePatch<T = KubeObject>(
    t: ResourceType,
    name: string,
    namespace: string | undefined,
    patch: any,
  ): Promise<T> {
    await this.#call('patch', t.kind, name);
    const o = this.#find(t, name, namespace);
    if (!o) {
      throw new KubeError({
        type: 'not-found',
        cluster: this.clusterId,
        statusCode: 404,
        message: `${this.clusterId}: ${t.kind} ${name} not found`,
      });
    }
    const annotations = { ...(o.metadata!.annotations ?? {}) };
    for (const [k, v] of Object.entries(patch?.metadata?.annotations ?? {})) {
      if (v === null) delete annotations[k];
      else annotations[k] = v as string;
    }
    o.metadata!.annotations = annotations;
    return structuredClone(o) as T;
  }
  async delete() {}
  watch(): any {
    throw new Error('not supported by the fake');
  }
  stats(): ClusterCallStats {
    const byVerb: Record<string, number> = {};
    for (const c of this.calls) byVerb[c.verb] = (byVerb[c.verb] ?? 0) + 1;
    return { total: this.calls.length, byVerb, byStatus: {}, retries: 0 };
  }
}

export function fakeControlPlane(
  client: FakeKubeClient,
  overrides: Partial<ControlPlane> = {},
): ControlPlane {
  const [source, space, group, name] = client.clusterId.split('/');
  return {
    id: client.clusterId,
    source: source as any,
    space,
    group,
    name: name ?? space,
    ready: { state: 'True' },
    conditions: [],
    server: `https://127.0.0.1:18443/apis/spaces.upbound.io/v1beta1/namespaces/${group}/controlplanes/${name}/k8s`,
    caData: 'CA-DATA-PEM',
    client,
    ...overrides,
  };
}

export interface FakeUpboundOptions {
  controlPlanes: ControlPlane[];
  claimApis?: Record<string, ClaimApi[]>;
  appClusters?: AppCluster[];
  argocd?: ArgoCdInstance[];
  flux?: FluxInstance[];
}

export function createFakeUpbound(o: FakeUpboundOptions): UpboundService {
  return {
    async inventory() {
      return {
        controlPlanes: o.controlPlanes,
        errors: [],
        refreshedAt: new Date().toISOString(),
      };
    },
    async controlPlane(id) {
      const cp = o.controlPlanes.find(c => c.id === id);
      if (!cp) throw new NotFoundError(`Control plane ${id} not found`);
      return cp;
    },
    appClusters: () => o.appClusters ?? [],
    appCluster(name) {
      const c = (o.appClusters ?? []).find(a => a.name === name);
      if (!c) throw new NotFoundError(`App cluster ${name} not configured`);
      return c;
    },
    argoCdInstances: () => o.argocd ?? [],
    fluxInstances: () => o.flux ?? [],
    async claimApis(id) {
      const cp = o.controlPlanes.find(c => c.id === id);
      const client = cp?.client as FakeKubeClient | undefined;
      if (client?.failWith) throw client.failWith;
      return o.claimApis?.[id] ?? [];
    },
    async controlPlaneCredentials() {
      throw new Error('not in tests');
    },
    onInventoryChange: () => () => {},
    stats: () => ({}),
  };
}
