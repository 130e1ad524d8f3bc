import type { LoggerService } from '@backstage/backend-plugin-api';
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
import { KubeTransport, type KubeTransportOptions } from './KubeTransport';
import { discoverResourceTypes } from './discoverResourceTypes';
import { notFoundAsUndefined } from './notFoundAsUndefined';
import { resourcePath, withQuery } from './paths';
import { watchResource } from './watchResource';

const DEFAULT_PAGE_SIZE = 500;
const DISCOVERY_TTL_MS = 5 * 60_000;
/** A miss in the discovery cache forces a new discovery at most this often. */
const DISCOVERY_MISS_REFRESH_MS = 10_000;

/** Options of {@link DefaultKubeClient}. @public */
export interface DefaultKubeClientOptions extends KubeTransportOptions {
  logger?: LoggerService;
  /** Clock for the discovery cache; tests override it. */
  now?: () => number;
}

/**
 * The access layer's {@link KubeClient}: typed verbs over {@link KubeTransport}, resource types
 * from discovery (cached), paging, server-side apply, merge patch and watches.
 * @public
 */
export class DefaultKubeClient implements KubeClient {
  readonly clusterId: string;
  readonly transport: KubeTransport;
  readonly #logger?: LoggerService;
  readonly #now: () => number;
  #types?: { at: number; list: Promise<ResourceType[]> };

  constructor(options: DefaultKubeClientOptions) {
    this.clusterId = options.clusterId;
    this.transport = new KubeTransport(options);
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
  }

  /** API server URL (no credentials). */
  get server(): string {
    return this.transport.server;
  }

  resourceTypes(options?: { refresh?: boolean }): Promise<ResourceType[]> {
    const now = this.#now();
    if (
      !options?.refresh &&
      this.#types &&
      now - this.#types.at < DISCOVERY_TTL_MS
    ) {
      return this.#types.list;
    }
    const list = discoverResourceTypes(this.transport, {
      logger: this.#logger,
    });
    const entry = { at: now, list };
    this.#types = entry;
    list.catch(() => {
      if (this.#types === entry) this.#types = undefined;
    });
    return list;
  }

  async resolve(apiVersion: string, kind: string): Promise<ResourceType> {
    const find = (types: ResourceType[]) =>
      types.find(t => t.apiVersion === apiVersion && t.kind === kind);
    let found = find(await this.resourceTypes());
    if (
      !found &&
      this.#types &&
      this.#now() - this.#types.at > DISCOVERY_MISS_REFRESH_MS
    ) {
      found = find(await this.resourceTypes({ refresh: true }));
    }
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

  async listPage<T = KubeObject>(
    type: ResourceType,
    options: ListOptions & { limit?: number; continue?: string } = {},
  ): Promise<ListPageResult<T>> {
    const path = withQuery(
      resourcePath(type, { namespace: options.namespace }),
      {
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        limit: options.limit ?? options.pageSize ?? DEFAULT_PAGE_SIZE,
        continue: options.continue,
      },
    );
    const body = await this.#typed(type, () =>
      this.transport.requestJson<{
        items?: T[];
        metadata?: { resourceVersion?: string; continue?: string };
      }>({
        method: 'GET',
        path,
        verb: 'list',
        timeoutMs: options.timeoutMs,
      }),
    );
    const items = (body?.items ?? []).map(item => withTypeMeta(item, type));
    return {
      items,
      resourceVersion: body?.metadata?.resourceVersion ?? '',
      ...(body?.metadata?.continue ? { continue: body.metadata.continue } : {}),
    };
  }

  async list<T = KubeObject>(
    type: ResourceType,
    options: ListOptions = {},
  ): Promise<ListResult<T>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#listAll<T>(type, options);
      } catch (e) {
        // A continue token expires when etcd compacts past it (410): start the list over, once.
        if (attempt === 0 && e instanceof KubeError && e.type === 'gone')
          continue;
        throw e;
      }
    }
  }

  async #listAll<T>(
    type: ResourceType,
    options: ListOptions,
  ): Promise<ListResult<T>> {
    const items: T[] = [];
    let cont: string | undefined;
    let resourceVersion = '';
    do {
      const page: ListPageResult<T> = await this.listPage<T>(type, {
        ...options,
        limit: options.pageSize ?? DEFAULT_PAGE_SIZE,
        continue: cont,
      });
      items.push(...page.items);
      // The first page's resourceVersion is the snapshot the continue token belongs to.
      if (!resourceVersion) resourceVersion = page.resourceVersion;
      cont = page.continue;
    } while (cont);
    return { items, resourceVersion };
  }

  async get<T = KubeObject>(
    type: ResourceType,
    name: string,
    namespace?: string,
  ): Promise<T> {
    const obj = await this.#typed(type, () =>
      this.transport.requestJson<T>({
        method: 'GET',
        path: resourcePath(type, { namespace, name }),
        verb: 'get',
      }),
    );
    return withTypeMeta(obj, type);
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
    if (!obj.apiVersion || !obj.kind || !obj.metadata?.name) {
      throw new KubeError({
        type: 'invalid',
        cluster: this.clusterId,
        message: 'apply needs apiVersion, kind and metadata.name',
      });
    }
    const type = await this.resolve(obj.apiVersion, obj.kind);
    if (type.namespaced && !obj.metadata.namespace) {
      throw new KubeError({
        type: 'invalid',
        cluster: this.clusterId,
        message: `apply of ${obj.kind} ${obj.metadata.name} needs metadata.namespace`,
      });
    }
    const path = withQuery(
      resourcePath(type, {
        namespace: obj.metadata.namespace,
        name: obj.metadata.name,
      }),
      {
        fieldManager: options.fieldManager,
        force: options.force ? true : undefined,
        dryRun: options.dryRun ? 'All' : undefined,
      },
    );
    return this.#typed(type, () =>
      this.transport.requestJson<T>({
        method: 'PATCH',
        path,
        verb: 'apply',
        // JSON is valid YAML, so the apply body needs no YAML serializer.
        body: JSON.stringify(obj),
        contentType: 'application/apply-patch+yaml',
      }),
    );
  }

  async mergePatch<T = KubeObject>(
    type: ResourceType,
    name: string,
    namespace: string | undefined,
    patch: object,
    options: { dryRun?: boolean; fieldManager?: string } = {},
  ): Promise<T> {
    const path = withQuery(resourcePath(type, { namespace, name }), {
      fieldManager: options.fieldManager,
      dryRun: options.dryRun ? 'All' : undefined,
    });
    return this.#typed(type, () =>
      this.transport.requestJson<T>({
        method: 'PATCH',
        path,
        verb: 'patch',
        body: JSON.stringify(patch),
        contentType: 'application/merge-patch+json',
      }),
    );
  }

  async delete(
    type: ResourceType,
    name: string,
    namespace?: string,
    options: { dryRun?: boolean } = {},
  ): Promise<void> {
    const path = withQuery(resourcePath(type, { namespace, name }), {
      dryRun: options.dryRun ? 'All' : undefined,
    });
    await this.#typed(type, () =>
      this.transport.requestJson({ method: 'DELETE', path, verb: 'delete' }),
    );
  }

  watch<T = KubeObject>(
    type: ResourceType,
    options: { namespace?: string; labelSelector?: string },
    handlers: WatchHandlers<T>,
  ): WatchHandle {
    return watchResource<T>(
      {
        transport: this.transport,
        type,
        ...options,
        list: () => this.list(type, options),
      },
      {
        ...handlers,
        onEvent: (t, obj) => handlers.onEvent(t, withTypeMeta(obj, type)),
      },
    );
  }

  stats(): ClusterCallStats {
    return this.transport.stats();
  }

  /**
   * Runs a call on a typed path. A 404 that is not about a named object (the API server answers
   * unknown paths in plain text) means the type itself is not served: reported as crd-missing.
   */
  async #typed<R>(type: ResourceType, call: () => Promise<R>): Promise<R> {
    try {
      return await call();
    } catch (e) {
      if (
        e instanceof KubeError &&
        e.type === 'not-found' &&
        !(e as { objectNotFound?: boolean }).objectNotFound
      ) {
        const served = await this.resourceTypes({ refresh: true }).then(
          types =>
            types.some(
              t =>
                t.group === type.group &&
                t.version === type.version &&
                t.plural === type.plural,
            ),
          () => true,
        );
        if (!served) {
          throw new KubeError({
            type: 'crd-missing',
            cluster: this.clusterId,
            statusCode: 404,
            path: e.path,
            message: `${type.kind} (${type.apiVersion}) is not served by ${this.clusterId}; is its CRD installed?`,
          });
        }
      }
      throw e;
    }
  }
}

/** LIST items come without apiVersion/kind; fill them in from the type. */
function withTypeMeta<T>(obj: T, type: ResourceType): T {
  if (!obj || typeof obj !== 'object') return obj;
  const o = obj as KubeObject;
  if (o.apiVersion && o.kind) return obj;
  return { apiVersion: type.apiVersion, kind: type.kind, ...o } as T;
}
