import type { KubeErrorType } from '@upbound-backstage/plugin-upbound-common';
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
  type WatchEventType,
  type WatchHandle,
  type WatchHandlers,
} from '../types';
import {
  parseApiVersion,
  resourceType,
  wellKnownTypes,
} from '../kube/wellKnownTypes';
import {
  xrdToClaimApi,
  claimApiResourceTypes,
} from '../claimApis/xrdToClaimApi';
import { notFoundAsUndefined } from '../kube/notFoundAsUndefined';
import { matchesFieldSelector, matchesLabelSelector } from './selectors';

/** Options of {@link InMemoryKubeClient}. @public */
export interface InMemoryKubeClientOptions {
  clusterId: string;
  /** Objects to seed the store with (JSON, as a kubectl get -o json item). */
  objects?: KubeObject[];
  /**
   * Extra resource types. Types of well-known APIs, of seeded CRDs and XRDs (composite and claim)
   * are known without this.
   */
  resourceTypes?: ResourceType[];
}

type Watcher = {
  type: ResourceType;
  namespace?: string;
  labelSelector?: string;
  handlers: WatchHandlers<any>;
};

function clone<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Server-side-apply-like merge: objects merge recursively, arrays and scalars are replaced. */
function deepMerge(target: any, source: any): any {
  if (!isPlainObject(target) || !isPlainObject(source)) return clone(source);
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(source)) {
    out[k] =
      isPlainObject(v) && isPlainObject(out[k])
        ? deepMerge(out[k], v)
        : clone(v);
  }
  return out;
}

/** RFC 7386 JSON merge patch: null deletes a key. */
function mergePatchInto(target: any, patch: any): any {
  if (!isPlainObject(patch)) return clone(patch);
  const out: Record<string, unknown> = isPlainObject(target)
    ? { ...target }
    : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatchInto(out[k], v);
  }
  return out;
}

function typeKey(t: { group: string; plural: string }): string {
  return `${t.group}/${t.plural}`;
}

function objectKey(t: ResourceType, name: string, namespace?: string): string {
  return `${typeKey(t)}/${t.namespaced ? namespace ?? '' : ''}/${name}`;
}

/**
 * A {@link KubeClient} backed by an in-memory object store, for unit tests of code that uses the
 * access layer. It behaves like an API server where it matters to callers: 404 as `not-found`,
 * unknown types as `crd-missing`, paging with `limit`/`continue`, label and field selectors,
 * resourceVersions, server-side apply (merge), JSON merge patch, dry runs, and watch events.
 * Failures can be injected with {@link InMemoryKubeClient.failNext} and {@link InMemoryKubeClient.setUnreachable}.
 * @public
 */
export class InMemoryKubeClient implements KubeClient {
  readonly clusterId: string;
  readonly #objects = new Map<
    string,
    { type: ResourceType; obj: KubeObject }
  >();
  readonly #extraTypes: ResourceType[];
  readonly #watchers = new Set<Watcher>();
  readonly #failures: KubeError[] = [];
  #unreachable = false;
  #resourceVersion = 1;
  #stats: ClusterCallStats = { total: 0, byVerb: {}, byStatus: {}, retries: 0 };

  constructor(options: InMemoryKubeClientOptions) {
    this.clusterId = options.clusterId;
    this.#extraTypes = options.resourceTypes ?? [];
    for (const obj of options.objects ?? []) this.upsert(obj);
  }

  /** Makes the next `count` calls fail with this error (a type or a full KubeError). */
  failNext(error: KubeErrorType | KubeError, count = 1): void {
    for (let i = 0; i < count; i++) {
      this.#failures.push(
        typeof error === 'string'
          ? new KubeError({
              type: error,
              cluster: this.clusterId,
              message: `Injected ${error}`,
            })
          : error,
      );
    }
  }

  /** While set, every call fails with an `unreachable` error. */
  setUnreachable(unreachable: boolean): void {
    this.#unreachable = unreachable;
  }

  /** Every stored object (copies). */
  allObjects(): KubeObject[] {
    return [...this.#objects.values()].map(e => clone(e.obj));
  }

  /**
   * Stores an object as a controller would (no call counted), filling uid, resourceVersion and
   * creationTimestamp, and notifies watchers. Types of objects whose type is not otherwise known
   * are inferred (plural = lower-case kind + `s`) so fixtures stay short.
   */
  upsert(input: KubeObject): KubeObject {
    const type = this.#typeForObject(input, true)!;
    const name = input.metadata?.name;
    if (!name)
      throw new Error('InMemoryKubeClient.upsert: metadata.name is required');
    const key = objectKey(type, name, input.metadata?.namespace);
    const existing = this.#objects.get(key);
    const obj = clone(input);
    obj.metadata = {
      ...obj.metadata,
      uid:
        obj.metadata?.uid ??
        existing?.obj.metadata?.uid ??
        `uid-${this.#resourceVersion}-${name}`,
      resourceVersion: String(++this.#resourceVersion),
      creationTimestamp:
        obj.metadata?.creationTimestamp ??
        existing?.obj.metadata?.creationTimestamp ??
        new Date(0).toISOString(),
    };
    if (!type.namespaced) delete obj.metadata.namespace;
    this.#objects.set(key, { type, obj });
    this.#notify(existing ? 'MODIFIED' : 'ADDED', type, obj);
    return clone(obj);
  }

  /** Removes an object as a controller would (no call counted) and notifies watchers. */
  remove(type: ResourceType, name: string, namespace?: string): boolean {
    const key = objectKey(type, name, namespace);
    const existing = this.#objects.get(key);
    if (!existing) return false;
    this.#objects.delete(key);
    this.#notify('DELETED', existing.type, existing.obj);
    return true;
  }

  /** Ends every open watch as a 410 Gone would: watchers relist and get `onSync`. */
  expireWatches(): void {
    for (const w of this.#watchers) {
      w.handlers.onError?.(
        new KubeError({
          type: 'gone',
          cluster: this.clusterId,
          statusCode: 410,
          message: 'Watch expired (410 Gone); relisting',
        }),
      );
      w.handlers.onSync?.(this.#select(w.type, w).map(clone));
    }
  }

  async resolve(apiVersion: string, kind: string): Promise<ResourceType> {
    this.#count('discovery');
    const found = this.#allTypes().find(
      t => t.apiVersion === apiVersion && t.kind === kind,
    );
    if (!found) {
      throw new KubeError({
        type: 'crd-missing',
        cluster: this.clusterId,
        statusCode: 404,
        message: `${kind} (${apiVersion}) is not served by ${this.clusterId}; is its CRD installed?`,
      });
    }
    return found;
  }

  async resourceTypes(): Promise<ResourceType[]> {
    this.#count('discovery');
    return this.#allTypes();
  }

  async list<T = KubeObject>(
    type: ResourceType,
    options?: ListOptions,
  ): Promise<ListResult<T>> {
    this.#count('list');
    return {
      items: this.#select(type, options).map(clone) as T[],
      resourceVersion: String(this.#resourceVersion),
    };
  }

  async listPage<T = KubeObject>(
    type: ResourceType,
    options?: ListOptions & { limit?: number; continue?: string },
  ): Promise<ListPageResult<T>> {
    this.#count('list');
    const all = this.#select(type, options);
    const start = options?.continue ? Number(options.continue) : 0;
    const limit = options?.limit ?? options?.pageSize ?? all.length;
    const items = all.slice(start, start + limit);
    const next = start + limit < all.length ? String(start + limit) : undefined;
    return {
      items: items.map(clone) as T[],
      resourceVersion: String(this.#resourceVersion),
      ...(next ? { continue: next } : {}),
    };
  }

  async get<T = KubeObject>(
    type: ResourceType,
    name: string,
    namespace?: string,
  ): Promise<T> {
    this.#count('get');
    const found = this.#objects.get(objectKey(type, name, namespace));
    if (!found) throw this.#notFound(type, name, namespace);
    return clone(found.obj) as T;
  }

  async tryGet<T = KubeObject>(
    type: ResourceType,
    name: string,
    namespace?: string,
  ): Promise<T | undefined> {
    return notFoundAsUndefined(() => this.get<T>(type, name, namespace));
  }

  async apply<T = KubeObject>(
    obj: KubeObject,
    options: ApplyOptions,
  ): Promise<T> {
    this.#count('apply');
    if (!options?.fieldManager) {
      throw new KubeError({
        type: 'invalid',
        cluster: this.clusterId,
        statusCode: 400,
        message: 'fieldManager is required for apply',
      });
    }
    const type = this.#typeForObject(obj, false);
    if (!type) {
      throw new KubeError({
        type: 'crd-missing',
        cluster: this.clusterId,
        statusCode: 404,
        message: `${obj.kind} (${obj.apiVersion}) is not served by ${this.clusterId}; is its CRD installed?`,
      });
    }
    const name = obj.metadata?.name;
    const namespace = obj.metadata?.namespace;
    if (!name || (type.namespaced && !namespace)) {
      throw new KubeError({
        type: 'invalid',
        cluster: this.clusterId,
        statusCode: 400,
        message: `apply of ${obj.kind} needs metadata.name${
          type.namespaced ? ' and metadata.namespace' : ''
        }`,
      });
    }
    const existing = this.#objects.get(objectKey(type, name, namespace));
    const merged = existing ? deepMerge(existing.obj, obj) : clone(obj);
    if (options.dryRun) return merged as T;
    return this.upsert(merged) as T;
  }

  async mergePatch<T = KubeObject>(
    type: ResourceType,
    name: string,
    namespace: string | undefined,
    patch: object,
    options?: { dryRun?: boolean; fieldManager?: string },
  ): Promise<T> {
    this.#count('patch');
    const existing = this.#objects.get(objectKey(type, name, namespace));
    if (!existing) throw this.#notFound(type, name, namespace);
    const patched = mergePatchInto(existing.obj, patch);
    if (options?.dryRun) return patched as T;
    return this.upsert(patched) as T;
  }

  async delete(
    type: ResourceType,
    name: string,
    namespace?: string,
    options?: { dryRun?: boolean },
  ): Promise<void> {
    this.#count('delete');
    if (!this.#objects.has(objectKey(type, name, namespace))) {
      throw this.#notFound(type, name, namespace);
    }
    if (!options?.dryRun) this.remove(type, name, namespace);
  }

  watch<T = KubeObject>(
    type: ResourceType,
    options: { namespace?: string; labelSelector?: string },
    handlers: WatchHandlers<T>,
  ): WatchHandle {
    const watcher: Watcher = { type, ...options, handlers };
    const ready = (async () => {
      this.#count('list');
      handlers.onSync?.(this.#select(type, options).map(clone) as T[]);
      this.#count('watch');
      this.#watchers.add(watcher);
    })();
    return {
      ready,
      stop: () => {
        this.#watchers.delete(watcher);
      },
    };
  }

  stats(): ClusterCallStats {
    return clone(this.#stats);
  }

  #count(verb: string): void {
    this.#stats.total++;
    this.#stats.byVerb[verb] = (this.#stats.byVerb[verb] ?? 0) + 1;
    if (this.#unreachable) {
      this.#stats.byStatus.error = (this.#stats.byStatus.error ?? 0) + 1;
      throw new KubeError({
        type: 'unreachable',
        cluster: this.clusterId,
        message: `Cluster ${this.clusterId} is unreachable`,
      });
    }
    const failure = this.#failures.shift();
    if (failure) {
      const status = String(failure.statusCode ?? 'error');
      this.#stats.byStatus[status] = (this.#stats.byStatus[status] ?? 0) + 1;
      throw failure;
    }
    this.#stats.byStatus['200'] = (this.#stats.byStatus['200'] ?? 0) + 1;
  }

  #notFound(type: ResourceType, name: string, namespace?: string): KubeError {
    const where = type.namespaced ? ` in namespace ${namespace}` : '';
    return new KubeError({
      type: 'not-found',
      cluster: this.clusterId,
      statusCode: 404,
      message: `${type.kind} ${name}${where} not found in ${this.clusterId}`,
    });
  }

  #select(
    type: ResourceType,
    options?: {
      namespace?: string;
      labelSelector?: string;
      fieldSelector?: string;
    },
  ): KubeObject[] {
    const wanted = typeKey(type);
    return [...this.#objects.values()]
      .filter(e => typeKey(e.type) === wanted)
      .map(e => e.obj)
      .filter(
        o =>
          !options?.namespace ||
          !type.namespaced ||
          o.metadata?.namespace === options.namespace,
      )
      .filter(o => matchesLabelSelector(o, options?.labelSelector))
      .filter(o => matchesFieldSelector(o, options?.fieldSelector))
      .sort((a, b) =>
        `${a.metadata?.namespace ?? ''}/${a.metadata?.name}`.localeCompare(
          `${b.metadata?.namespace ?? ''}/${b.metadata?.name}`,
        ),
      );
  }

  #notify(event: WatchEventType, type: ResourceType, obj: KubeObject): void {
    for (const w of this.#watchers) {
      if (typeKey(w.type) !== typeKey(type)) continue;
      if (
        w.namespace &&
        type.namespaced &&
        obj.metadata?.namespace !== w.namespace
      )
        continue;
      if (!matchesLabelSelector(obj, w.labelSelector)) continue;
      w.handlers.onEvent(event, clone(obj));
    }
  }

  #typeForObject(obj: KubeObject, infer: boolean): ResourceType | undefined {
    const apiVersion = obj.apiVersion ?? '';
    const kind = obj.kind ?? '';
    const known = this.#allTypes().find(
      t => t.apiVersion === apiVersion && t.kind === kind,
    );
    if (known || !infer) return known;
    if (!apiVersion || !kind) {
      throw new Error(
        'InMemoryKubeClient.upsert: apiVersion and kind are required',
      );
    }
    const inferred = resourceType({
      ...parseApiVersion(apiVersion),
      kind,
      plural: `${kind.toLowerCase()}s`,
      namespaced: !!obj.metadata?.namespace,
    });
    this.#extraTypes.push(inferred);
    return inferred;
  }

  #allTypes(): ResourceType[] {
    const types: ResourceType[] = [
      ...Object.values(wellKnownTypes),
      ...this.#extraTypes,
    ];
    for (const { type, obj } of this.#objects.values()) {
      if (
        type.kind === 'CustomResourceDefinition' &&
        type.group === 'apiextensions.k8s.io'
      ) {
        const spec = obj.spec ?? {};
        for (const v of spec.versions ?? []) {
          if (v?.served === false) continue;
          types.push(
            resourceType({
              group: spec.group,
              version: v.name,
              kind: spec.names?.kind,
              plural: spec.names?.plural,
              namespaced: spec.scope === 'Namespaced',
            }),
          );
        }
      }
      if (type.kind === 'CompositeResourceDefinition') {
        const api = xrdToClaimApi(obj);
        if (!api) continue;
        for (const v of api.versions.filter(x => x.served)) {
          const t = claimApiResourceTypes({
            ...api,
            referenceableVersion: v.name,
          });
          types.push(t.composite);
          if (t.claim) types.push(t.claim);
        }
      }
    }
    const seen = new Set<string>();
    return types.filter(t => {
      const k = `${t.apiVersion}/${t.kind}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
}
