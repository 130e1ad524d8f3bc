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
  type WatchHandle,
  type WatchHandlers,
} from '../types';
import { wellKnownTypes } from '../kube/wellKnownTypes';
import { notFoundAsUndefined } from '../kube/notFoundAsUndefined';
import { clone } from './merge';
import { ObjectStore } from './objectStore';
import { ServedTypes } from './servedTypes';
import type { KubeCall, KubeFailureHook, KubeWrite } from './kubeCalls';

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
  /** Delay before every call answers, in milliseconds (to test coalescing and timeouts). */
  latencyMs?: number;
}

/**
 * A {@link KubeClient} backed by an in-memory object store: the one fake cluster of the Upbound
 * plugins' tests. It behaves like an API server where it matters to callers: 404 as `not-found`,
 * unknown types as `crd-missing`, paging with `limit`/`continue`, label and field selectors,
 * resourceVersions that change only on real changes, server-side apply per field manager (fields a
 * manager stops applying disappear, `managedFields` names the managers), namespaces that must
 * exist before an apply into them, JSON merge patch, dry runs, and watch events.
 *
 * Tests read what happened from {@link InMemoryKubeClient.calls} and
 * {@link InMemoryKubeClient.writes}, and inject failures with {@link InMemoryKubeClient.failWhen},
 * {@link InMemoryKubeClient.failNext} and {@link InMemoryKubeClient.setUnreachable}.
 * @public
 */
export class InMemoryKubeClient implements KubeClient {
  readonly clusterId: string;
  /** Every call made through the client, in order, failed ones included. */
  readonly calls: KubeCall[] = [];
  /** Every apply, merge patch and delete that passed validation, dry runs included. */
  readonly writes: KubeWrite[] = [];
  /** Delay before every call answers, in milliseconds. */
  latencyMs: number;
  readonly #store = new ObjectStore();
  readonly #types: ServedTypes;
  readonly #failures: Array<KubeError | Error> = [];
  #failureHook?: KubeFailureHook;
  #unreachable = false;
  #stats: ClusterCallStats = { total: 0, byVerb: {}, byStatus: {}, retries: 0 };

  constructor(options: InMemoryKubeClientOptions) {
    this.clusterId = options.clusterId;
    this.#types = new ServedTypes(options.resourceTypes);
    this.latencyMs = options.latencyMs ?? 0;
    for (const obj of options.objects ?? []) this.upsert(obj);
  }

  /** The calls that read or write objects: every call but discovery. */
  get dataCalls(): KubeCall[] {
    return this.calls.filter(c => c.verb !== 'discovery');
  }

  /** Makes the next `count` calls fail with this error (a type or a full KubeError). */
  failNext(error: KubeErrorType | KubeError, count = 1): void {
    for (let i = 0; i < count; i++) this.#failures.push(this.#error(error));
  }

  /**
   * Makes every call for which `hook` returns an error (or error type) fail with it, until
   * replaced or cleared with `undefined`.
   *
   * @example
   * ```ts
   * client.failWhen(c => (c.method === 'apply' && c.kind === 'HelmRelease' ? 'invalid' : undefined));
   * ```
   */
  failWhen(hook: KubeFailureHook | undefined): void {
    this.#failureHook = hook;
  }

  /** While set, every call fails with an `unreachable` error. */
  setUnreachable(unreachable: boolean): void {
    this.#unreachable = unreachable;
  }

  /** Serves these types too, as when their CRDs are installed. */
  addTypes(...types: ResourceType[]): void {
    this.#types.add(types);
  }

  /**
   * Stops serving these types, as when their CRDs are deleted: discovery lacks them and every call
   * for them is `crd-missing`. Their objects stay in the store.
   */
  removeTypes(
    ...types: Array<Pick<ResourceType, 'apiVersion' | 'kind'>>
  ): void {
    this.#types.remove(types);
  }

  /** Every stored object (copies), in the order first stored. */
  all(): KubeObject[] {
    return this.#store.all();
  }

  /**
   * Stores an object as a controller or another client would (no call counted, no write logged),
   * filling uid, resourceVersion and creationTimestamp, and notifies watchers. With a
   * `fieldManager` the object counts as applied by that manager (for ownership checks, and field
   * removal on its next apply). Objects of types not otherwise known get an inferred type
   * (plural = lower-case kind + `s`) so fixtures stay short.
   */
  upsert(input: KubeObject, options?: { fieldManager?: string }): KubeObject {
    const type = this.#types.forStoredObject(input, this.#store.typed());
    if (!input.metadata?.name)
      throw new Error('InMemoryKubeClient.upsert: metadata.name is required');
    return this.#store.upsert(type, input, options?.fieldManager);
  }

  /** Removes an object as a controller would (no call counted) and notifies watchers. */
  remove(type: ResourceType, name: string, namespace?: string): boolean {
    return this.#store.remove(type, name, namespace);
  }

  /** Ends every open watch as a 410 Gone would: watchers relist and get `onSync`. */
  expireWatches(): void {
    this.#store.expireWatches(
      new KubeError({
        type: 'gone',
        cluster: this.clusterId,
        statusCode: 410,
        message: 'Watch expired (410 Gone); relisting',
      }),
    );
  }

  async resolve(apiVersion: string, kind: string): Promise<ResourceType> {
    await this.#call({
      method: 'resolve',
      verb: 'discovery',
      apiVersion,
      kind,
    });
    const found = this.#types.find({ apiVersion, kind }, this.#store.typed());
    if (!found) throw this.#crdMissing(apiVersion, kind);
    return found;
  }

  async resourceTypes(): Promise<ResourceType[]> {
    await this.#call({ method: 'resourceTypes', verb: 'discovery' });
    return this.#types.served(this.#store.typed());
  }

  async list<T = KubeObject>(
    type: ResourceType,
    options?: ListOptions,
  ): Promise<ListResult<T>> {
    await this.#call({ method: 'list', verb: 'list', ...of(type), options });
    this.#assertServed(type);
    return {
      items: this.#store.select(type, options) as T[],
      resourceVersion: this.#store.resourceVersion,
    };
  }

  async listPage<T = KubeObject>(
    type: ResourceType,
    options?: ListOptions & { limit?: number; continue?: string },
  ): Promise<ListPageResult<T>> {
    await this.#call({
      method: 'listPage',
      verb: 'list',
      ...of(type),
      options,
    });
    this.#assertServed(type);
    const all = this.#store.select(type, options);
    const start = options?.continue ? Number(options.continue) : 0;
    const limit = options?.limit ?? options?.pageSize ?? all.length;
    const next = start + limit < all.length ? String(start + limit) : undefined;
    return {
      items: all.slice(start, start + limit) as T[],
      resourceVersion: this.#store.resourceVersion,
      ...(next ? { continue: next } : {}),
    };
  }

  async get<T = KubeObject>(
    type: ResourceType,
    name: string,
    namespace?: string,
  ): Promise<T> {
    return this.#get<T>('get', type, name, namespace);
  }

  async tryGet<T = KubeObject>(
    type: ResourceType,
    name: string,
    namespace?: string,
  ): Promise<T | undefined> {
    // As the access layer does: a 404, injected or not, is undefined.
    return notFoundAsUndefined(() =>
      this.#get<T>('tryGet', type, name, namespace),
    );
  }

  async apply<T = KubeObject>(
    obj: KubeObject,
    options: ApplyOptions,
  ): Promise<T> {
    const name = obj.metadata?.name;
    await this.#call({
      method: 'apply',
      verb: 'apply',
      apiVersion: obj.apiVersion,
      kind: obj.kind,
      ...(obj.metadata?.namespace ? { namespace: obj.metadata.namespace } : {}),
      ...(name ? { name } : {}),
      object: clone(obj),
      fieldManager: options?.fieldManager,
      ...(options?.dryRun ? { dryRun: true } : {}),
    });
    if (!options?.fieldManager) {
      throw this.#invalid(400, 'fieldManager is required for apply');
    }
    const type = this.#types.find(
      { apiVersion: obj.apiVersion ?? '', kind: obj.kind ?? '' },
      this.#store.typed(),
    );
    if (!type) throw this.#crdMissing(obj.apiVersion ?? '', obj.kind ?? '');
    const namespace = type.namespaced ? obj.metadata?.namespace : undefined;
    if (!name || (type.namespaced && !namespace)) {
      throw this.#invalid(
        422,
        `apply of ${obj.kind} needs metadata.name${
          type.namespaced ? ' and metadata.namespace' : ''
        }`,
      );
    }
    if (namespace && !this.#store.get(wellKnownTypes.namespace, namespace)) {
      throw new KubeError({
        type: 'not-found',
        cluster: this.clusterId,
        statusCode: 404,
        message: `namespaces "${namespace}" not found in ${this.clusterId}`,
      });
    }
    this.writes.push({
      verb: 'apply',
      ...of(type, name, namespace),
      fieldManager: options.fieldManager,
      ...(options.dryRun ? { dryRun: true } : {}),
    } as KubeWrite);
    const applied = this.#store.apply(
      type,
      namespace ? obj : withoutNamespace(obj),
      options.fieldManager,
      options.dryRun,
    );
    return applied as T;
  }

  async mergePatch<T = KubeObject>(
    type: ResourceType,
    name: string,
    namespace: string | undefined,
    patch: object,
    options?: { dryRun?: boolean; fieldManager?: string },
  ): Promise<T> {
    await this.#call({
      method: 'mergePatch',
      verb: 'patch',
      ...of(type, name, namespace),
      patch: clone(patch),
      ...(options?.fieldManager ? { fieldManager: options.fieldManager } : {}),
      ...(options?.dryRun ? { dryRun: true } : {}),
    });
    this.#assertServed(type);
    if (!this.#store.get(type, name, namespace)) {
      throw this.#notFound(type, name, namespace);
    }
    this.writes.push({
      verb: 'patch',
      ...of(type, name, namespace),
      ...(options?.fieldManager ? { fieldManager: options.fieldManager } : {}),
      ...(options?.dryRun ? { dryRun: true } : {}),
    } as KubeWrite);
    return this.#store.mergePatch(
      type,
      name,
      namespace,
      patch,
      options?.dryRun,
    ) as T;
  }

  async delete(
    type: ResourceType,
    name: string,
    namespace?: string,
    options?: { dryRun?: boolean },
  ): Promise<void> {
    const dryRun = options?.dryRun ? { dryRun: true } : {};
    await this.#call({
      method: 'delete',
      verb: 'delete',
      ...of(type, name, namespace),
      ...dryRun,
    });
    this.#assertServed(type);
    if (!this.#store.get(type, name, namespace)) {
      throw this.#notFound(type, name, namespace);
    }
    this.writes.push({
      verb: 'delete',
      ...of(type, name, namespace),
      ...dryRun,
    } as KubeWrite);
    if (!options?.dryRun) this.#store.remove(type, name, namespace);
  }

  watch<T = KubeObject>(
    type: ResourceType,
    options: { namespace?: string; labelSelector?: string },
    handlers: WatchHandlers<T>,
  ): WatchHandle {
    let stopped = false;
    let stop = () => {
      stopped = true;
    };
    const ready = (async () => {
      // The access layer lists, then watches from the list's resourceVersion: two requests.
      await this.#call(
        { method: 'watch', verb: 'watch', ...of(type), options },
        ['list', 'watch'],
      );
      this.#assertServed(type);
      handlers.onSync?.(this.#store.select(type, options) as T[]);
      if (!stopped) stop = this.#store.watch(type, options, handlers);
    })();
    return { ready, stop: () => stop() };
  }

  stats(): ClusterCallStats {
    return clone(this.#stats);
  }

  /** Logs and counts a call, waits the latency, then throws an injected failure if any. */
  async #call(call: KubeCall, countAs: string[] = [call.verb]): Promise<void> {
    this.calls.push(call);
    if (this.latencyMs) {
      await new Promise(resolve => setTimeout(resolve, this.latencyMs));
    }
    let failure: KubeError | Error | undefined;
    if (this.#unreachable) {
      failure = new KubeError({
        type: 'unreachable',
        cluster: this.clusterId,
        message: `Cluster ${this.clusterId} is unreachable`,
      });
    } else {
      failure = this.#failures.shift();
      const hooked = failure ? undefined : this.#failureHook?.(call);
      // A stalled connection: the call neither answers nor counts.
      if (hooked === 'hang') await new Promise<never>(() => {});
      else if (hooked) failure = this.#error(hooked);
    }
    for (const verb of countAs) {
      this.#stats.total++;
      this.#stats.byVerb[verb] = (this.#stats.byVerb[verb] ?? 0) + 1;
      const status = failure
        ? String((failure as Partial<KubeError>).statusCode ?? 'error')
        : '200';
      this.#stats.byStatus[status] = (this.#stats.byStatus[status] ?? 0) + 1;
      if (failure) break;
    }
    if (failure) throw failure;
  }

  async #get<T>(
    method: 'get' | 'tryGet',
    type: ResourceType,
    name: string,
    namespace?: string,
  ): Promise<T> {
    await this.#call({ method, verb: 'get', ...of(type, name, namespace) });
    this.#assertServed(type);
    const found = this.#store.get(type, name, namespace);
    if (!found) throw this.#notFound(type, name, namespace);
    return found as T;
  }

  #error(error: KubeError | Error | KubeErrorType): KubeError | Error {
    return typeof error === 'string'
      ? new KubeError({
          type: error,
          cluster: this.clusterId,
          message: `Injected ${error}`,
        })
      : error;
  }

  #assertServed(type: ResourceType): void {
    if (!this.#types.isServed(type)) {
      throw this.#crdMissing(type.apiVersion, type.kind);
    }
  }

  #crdMissing(apiVersion: string, kind: string): KubeError {
    return new KubeError({
      type: 'crd-missing',
      cluster: this.clusterId,
      statusCode: 404,
      message: `${kind} (${apiVersion}) is not served by ${this.clusterId}; is its CRD installed?`,
    });
  }

  #invalid(statusCode: number, message: string): KubeError {
    return new KubeError({
      type: 'invalid',
      cluster: this.clusterId,
      statusCode,
      message,
    });
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
}

/** The coordinates of a call on a type (a namespace only for namespaced types). */
function of(
  type: ResourceType,
  name?: string,
  namespace?: string,
): Pick<KubeCall, 'apiVersion' | 'kind' | 'plural' | 'name' | 'namespace'> {
  return {
    apiVersion: type.apiVersion,
    kind: type.kind,
    plural: type.plural,
    ...(type.namespaced && namespace ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
  };
}

function withoutNamespace(obj: KubeObject): KubeObject {
  const { namespace: _ns, ...metadata } = obj.metadata ?? {};
  return { ...obj, metadata };
}
