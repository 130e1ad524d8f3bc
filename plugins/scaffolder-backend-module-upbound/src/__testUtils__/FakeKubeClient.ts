import {
  KubeError,
  type ApplyOptions,
  type ClusterCallStats,
  type KubeClient,
  type KubeObject,
  type ListOptions,
  type ListPageResult,
  type ListResult,
  type ResourceType,
  type WatchHandle,
} from '@upbound-backstage/plugin-upbound-node';

function isObject(v: unknown): v is Record<string, any> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function merge(target: any, source: any): any {
  if (!isObject(target) || !isObject(source)) return structuredClone(source);
  const out: Record<string, any> = { ...target };
  for (const [k, v] of Object.entries(source)) {
    out[k] = isObject(v) && isObject(out[k]) ? merge(out[k], v) : structuredClone(v);
  }
  return out;
}

/** A resource type, for seeding the fake. */
export function rt(
  apiVersion: string,
  kind: string,
  plural: string,
  namespaced = true,
): ResourceType {
  const [group, version] = apiVersion.includes('/')
    ? apiVersion.split('/')
    : ['', apiVersion];
  return { group, version, apiVersion, kind, plural, namespaced };
}

const WELL_KNOWN: ResourceType[] = [
  rt('v1', 'Namespace', 'namespaces', false),
  rt('v1', 'Secret', 'secrets'),
  rt('v1', 'ConfigMap', 'configmaps'),
];

/** Flux and Argo CD APIs, as an app cluster with both installed serves them. */
export const GITOPS_TYPES: ResourceType[] = [
  rt('argoproj.io/v1alpha1', 'Application', 'applications'),
  rt('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'kustomizations'),
  rt('source.toolkit.fluxcd.io/v1', 'GitRepository', 'gitrepositories'),
  rt('source.toolkit.fluxcd.io/v1', 'OCIRepository', 'ocirepositories'),
  rt('source.toolkit.fluxcd.io/v1', 'HelmRepository', 'helmrepositories'),
  rt('helm.toolkit.fluxcd.io/v2', 'HelmRelease', 'helmreleases'),
];

interface Entry {
  base?: KubeObject;
  managers: Map<string, KubeObject>;
  uid: string;
  resourceVersion: number;
  effective: KubeObject;
}

/** A write the fake saw, for assertions such as "dry run wrote nothing". */
export interface FakeWrite {
  verb: 'apply' | 'delete';
  kind: string;
  namespace?: string;
  name: string;
  dryRun?: boolean;
}

/**
 * An in-memory KubeClient that emulates what the actions rely on: discovery (crd-missing for
 * unknown APIs), server-side apply per field manager (fields a manager stops applying disappear,
 * managedFields names the managers), resourceVersions that change only on real changes, namespace
 * existence, and 404s.
 */
export class FakeKubeClient implements KubeClient {
  readonly clusterId: string;
  readonly writes: FakeWrite[] = [];
  #types: ResourceType[];
  #store = new Map<string, Entry>();
  #rv = 1;
  #failApply?: (obj: KubeObject) => Error | undefined;

  constructor(clusterId: string, types: ResourceType[] = []) {
    this.clusterId = clusterId;
    this.#types = [...WELL_KNOWN, ...types];
  }

  /** Makes apply fail for matching objects (to test rollback). */
  failApplyWhen(fn: (obj: KubeObject) => Error | undefined) {
    this.#failApply = fn;
  }

  addTypes(...types: ResourceType[]) {
    this.#types.push(...types);
  }

  #key(type: ResourceType, name: string, namespace?: string) {
    return `${type.group}/${type.plural}/${type.namespaced ? namespace ?? '' : ''}/${name}`;
  }

  #compute(entry: Entry, meta: { name: string; namespace?: string }) {
    let obj: any = entry.base ? structuredClone(entry.base) : {};
    for (const applied of entry.managers.values()) obj = merge(obj, applied);
    obj.metadata = {
      ...obj.metadata,
      name: meta.name,
      ...(meta.namespace ? { namespace: meta.namespace } : {}),
      uid: entry.uid,
      managedFields: [...entry.managers.keys()].map(manager => ({
        manager,
        operation: 'Apply',
      })),
    };
    return obj as KubeObject;
  }

  /** Seeds an object created by someone else (no field manager of ours). */
  seed(obj: KubeObject, manager?: string): KubeObject {
    const type = this.#typeOf(obj);
    const key = this.#key(type, obj.metadata!.name!, obj.metadata?.namespace);
    const entry: Entry = {
      base: manager ? undefined : structuredClone(obj),
      managers: new Map(manager ? [[manager, structuredClone(obj)]] : []),
      uid: `uid-${this.#rv}`,
      resourceVersion: this.#rv++,
      effective: {},
    };
    entry.effective = this.#compute(entry, obj.metadata as any);
    this.#store.set(key, entry);
    return this.#withRv(entry);
  }

  #withRv(entry: Entry): KubeObject {
    const out = structuredClone(entry.effective);
    out.metadata!.resourceVersion = String(entry.resourceVersion);
    return out;
  }

  #typeOf(obj: KubeObject): ResourceType {
    const type = this.#types.find(
      t => t.apiVersion === obj.apiVersion && t.kind === obj.kind,
    );
    if (!type) {
      throw new KubeError({
        type: 'crd-missing',
        cluster: this.clusterId,
        message: `${obj.kind} (${obj.apiVersion}) is not served by ${this.clusterId}`,
      });
    }
    return type;
  }

  async resolve(apiVersion: string, kind: string) {
    return this.#typeOf({ apiVersion, kind });
  }

  async resourceTypes() {
    return [...this.#types];
  }

  async list<T = KubeObject>(
    type: ResourceType,
    options?: ListOptions,
  ): Promise<ListResult<T>> {
    const prefix = `${type.group}/${type.plural}/`;
    const selector = (options?.labelSelector ?? '')
      .split(',')
      .filter(Boolean)
      .map(t => t.split('='));
    const items = [...this.#store.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .map(([, e]) => this.#withRv(e))
      .filter(o => !options?.namespace || o.metadata?.namespace === options.namespace)
      .filter(o => selector.every(([k, v]) => o.metadata?.labels?.[k] === v));
    return { items: items as T[], resourceVersion: String(this.#rv) };
  }

  async listPage<T = KubeObject>(type: ResourceType, options?: ListOptions) {
    return (await this.list<T>(type, options)) as ListPageResult<T>;
  }

  async get<T = KubeObject>(type: ResourceType, name: string, namespace?: string) {
    const found = await this.tryGet<T>(type, name, namespace);
    if (!found) {
      throw new KubeError({
        type: 'not-found',
        statusCode: 404,
        cluster: this.clusterId,
        message: `${type.kind} ${name} not found in ${this.clusterId}`,
      });
    }
    return found;
  }

  async tryGet<T = KubeObject>(type: ResourceType, name: string, namespace?: string) {
    const entry = this.#store.get(this.#key(type, name, namespace));
    return entry ? (this.#withRv(entry) as T) : undefined;
  }

  async apply<T = KubeObject>(obj: KubeObject, options: ApplyOptions): Promise<T> {
    const type = this.#typeOf(obj);
    const name = obj.metadata?.name;
    const namespace = type.namespaced ? obj.metadata?.namespace : undefined;
    if (!name || (type.namespaced && !namespace)) {
      throw new KubeError({
        type: 'invalid',
        statusCode: 422,
        cluster: this.clusterId,
        message: `apply of ${obj.kind} needs a name${type.namespaced ? ' and a namespace' : ''}`,
      });
    }
    const failure = this.#failApply?.(obj);
    if (failure) throw failure;
    if (namespace && !this.#store.has(this.#key(WELL_KNOWN[0], namespace))) {
      throw new KubeError({
        type: 'not-found',
        statusCode: 404,
        cluster: this.clusterId,
        message: `namespaces "${namespace}" not found`,
      });
    }
    this.writes.push({ verb: 'apply', kind: obj.kind!, name, namespace, dryRun: options.dryRun });
    const key = this.#key(type, name, namespace);
    const old = this.#store.get(key);
    const entry: Entry = old
      ? { ...old, managers: new Map(old.managers) }
      : { managers: new Map(), uid: `uid-${this.#rv}`, resourceVersion: 0, effective: {} };
    entry.managers.set(options.fieldManager, structuredClone(obj));
    entry.effective = this.#compute(entry, { name, namespace });
    const changed = !old || JSON.stringify(old.effective) !== JSON.stringify(entry.effective);
    if (changed) entry.resourceVersion = this.#rv++;
    if (!options.dryRun) this.#store.set(key, entry);
    return this.#withRv(entry) as T;
  }

  async mergePatch<T = KubeObject>(): Promise<T> {
    throw new Error('mergePatch is not used by the scaffolder actions');
  }

  async delete(type: ResourceType, name: string, namespace?: string, options?: { dryRun?: boolean }) {
    const key = this.#key(type, name, namespace);
    if (!this.#store.has(key)) {
      throw new KubeError({
        type: 'not-found',
        statusCode: 404,
        cluster: this.clusterId,
        message: `${type.kind} ${name} not found`,
      });
    }
    this.writes.push({ verb: 'delete', kind: type.kind, name, namespace, dryRun: options?.dryRun });
    if (!options?.dryRun) this.#store.delete(key);
  }

  watch(): WatchHandle {
    throw new Error('watch is not used by the scaffolder actions');
  }

  stats(): ClusterCallStats {
    return { total: 0, byVerb: {}, byStatus: {}, retries: 0 };
  }

  /** Every stored object (for snapshots). */
  all(): KubeObject[] {
    return [...this.#store.values()].map(e => this.#withRv(e));
  }
}
