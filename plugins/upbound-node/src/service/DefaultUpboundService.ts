import type { Config } from '@backstage/config';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import pLimit from 'p-limit';
import type {
  ClaimApi,
  ClusterError,
} from '@upbound-backstage/plugin-upbound-common';
import {
  KubeError,
  type AppCluster,
  type ArgoCdInstance,
  type ClusterCallStats,
  type ControlPlane,
  type ControlPlaneCredentials,
  type FluxInstance,
  type InventorySnapshot,
  type KubeObject,
  type UpboundService,
} from '../types';
import type {
  ClusterConnection,
  SpaceConfig,
  UpboundConfig,
} from '../config/types';
import { readUpboundConfig } from '../config/readUpboundConfig';
import { DefaultKubeClient } from '../kube/DefaultKubeClient';
import {
  KubeTransport,
  type KubeFetch,
  type KubeTransportOptions,
} from '../kube/KubeTransport';
import { UpboundCloudAuth } from '../cloud/UpboundCloudAuth';
import { listCloudSpaces, type CloudSpace } from '../cloud/listCloudSpaces';
import {
  discoverSpace,
  readSpaceIngress,
  type SpaceIngress,
} from '../inventory/discoverSpace';
import { xrdToClaimApi } from '../claimApis/xrdToClaimApi';
import { toClusterError } from '../kube/toClusterError';

const CLAIM_API_TTL_MS = 60_000;

/** Options of {@link createUpboundService}. @public */
export interface CreateUpboundServiceOptions {
  /** The root config (the `upbound` block is read from it), or an already parsed config. */
  config: Config | UpboundConfig;
  logger: LoggerService;
  /** HTTP override for tests. */
  fetch?: KubeFetch;
  /** Clock override for tests. */
  now?: () => number;
  /** Sleep override for tests (retry backoff). */
  sleep?: (ms: number) => Promise<void>;
}

/** One discovery source and the control planes it last delivered. */
interface SourceState {
  controlPlanes: ControlPlane[];
  error?: ClusterError;
}

function isParsedConfig(c: Config | UpboundConfig): c is UpboundConfig {
  return Array.isArray((c as UpboundConfig).controlPlanes) && 'endpoints' in c;
}

/** A discovery failure, reported under its source (`space/<name>`, `cloud`, ...) whatever cluster failed. */
function sourceError(source: string, e: unknown): ClusterError {
  return { ...toClusterError(source, e), cluster: source };
}

function fingerprint(s: InventorySnapshot): string {
  return JSON.stringify([
    s.controlPlanes.map(({ client: _c, ...rest }) => rest),
    s.errors,
  ]);
}

/**
 * The Upbound service: inventory of control planes from Upbound Cloud, self-hosted Spaces and
 * direct control planes, app clusters, GitOps instances, claim APIs and per-cluster clients.
 * @public
 */
export class DefaultUpboundService implements UpboundService {
  readonly config: UpboundConfig;
  readonly #logger: LoggerService;
  readonly #fetch?: KubeFetch;
  readonly #now: () => number;
  readonly #sleep?: (ms: number) => Promise<void>;
  readonly #cloudAuth?: UpboundCloudAuth;
  readonly #cloudApi?: KubeTransport;
  readonly #clients = new Map<string, DefaultKubeClient>();
  readonly #transports = new Set<KubeTransport>();
  readonly #sources = new Map<string, SourceState>();
  readonly #listeners = new Set<(s: InventorySnapshot) => void>();
  readonly #appClusters = new Map<string, AppCluster>();
  readonly #argocd: ArgoCdInstance[];
  readonly #claimApis = new Map<
    string,
    { at: number; value: Promise<ClaimApi[]> }
  >();
  #snapshot?: InventorySnapshot;
  #refreshing?: Promise<InventorySnapshot>;
  #timer?: NodeJS.Timeout;
  #stopped = false;

  constructor(options: CreateUpboundServiceOptions) {
    this.config = isParsedConfig(options.config)
      ? options.config
      : readUpboundConfig(options.config);
    this.#logger = options.logger;
    this.#fetch = options.fetch;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep;
    for (const w of this.config.warnings) this.#logger.warn(w);

    const cloud = this.config.cloud;
    if (cloud?.enabled) {
      this.#cloudAuth = new UpboundCloudAuth({
        organization: cloud.organization,
        token: cloud.token,
        endpoints: this.config.endpoints,
        timeoutMs: this.config.timeouts.requestMs,
        fetch: this.#fetch,
        now: this.#now,
        sleep: this.#sleep,
        logger: this.#logger,
      });
      const auth = this.#cloudAuth;
      this.#cloudApi = this.#transport({
        clusterId: 'upbound-api',
        connection: { server: this.config.endpoints.api },
        tokenProvider: {
          getToken: () => auth.session(),
          invalidate: refused => auth.invalidateSession(refused),
          cookieName: 'SID',
        },
      });
    }

    for (const a of this.config.appClusters) {
      const id = `app-cluster/${a.name}`;
      this.#appClusters.set(a.name, {
        name: a.name,
        ...(a.title ? { title: a.title } : {}),
        ...(a.clusterId ? { clusterId: a.clusterId } : {}),
        source: a.source,
        client: this.#client(id, a.connection),
        server: a.connection.server,
      });
    }

    this.#argocd = this.config.argocd.map(a => {
      const instance: ArgoCdInstance = {
        name: a.name,
        appCluster: a.appCluster,
        namespace: a.namespace,
        ...(a.appClusterServer ? { appClusterServer: a.appClusterServer } : {}),
      };
      if (a.url) {
        instance.url = a.url;
        const transport = this.#transport({
          clusterId: `argocd/${a.name}`,
          connection: { server: a.url, ...(a.token ? { token: a.token } : {}) },
        });
        instance.request = async (method, path, body) =>
          transport.requestJson({
            method,
            path: path.startsWith('/') ? path : `/${path}`,
            verb: method === 'GET' ? 'get' : 'post',
            ...(body !== undefined
              ? { body: JSON.stringify(body), contentType: 'application/json' }
              : {}),
          });
      }
      return instance;
    });
  }

  /** Starts periodic discovery; the first run starts after `initialDelayMs`. */
  start(options: { frequencyMs: number; initialDelayMs?: number }): void {
    if (this.#timer || this.#stopped) return;
    const tick = async () => {
      try {
        await this.refresh();
      } catch (e) {
        this.#logger.error(`Upbound discovery failed: ${(e as Error).message}`);
      }
      if (!this.#stopped) {
        this.#timer = setTimeout(tick, options.frequencyMs);
        this.#timer.unref?.();
      }
    };
    this.#timer = setTimeout(tick, options.initialDelayMs ?? 0);
    this.#timer.unref?.();
  }

  /** Stops periodic discovery. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async inventory(options?: { refresh?: boolean }): Promise<InventorySnapshot> {
    if (!this.#snapshot || options?.refresh) return this.refresh();
    return this.#snapshot;
  }

  /** Runs discovery now (concurrent callers share one run). */
  refresh(): Promise<InventorySnapshot> {
    if (!this.#refreshing) {
      this.#refreshing = this.#discover().finally(() => {
        this.#refreshing = undefined;
      });
    }
    return this.#refreshing;
  }

  async controlPlane(id: string): Promise<ControlPlane> {
    const snapshot = await this.inventory();
    const cp = snapshot.controlPlanes.find(c => c.id === id);
    if (!cp) throw new NotFoundError(`Control plane '${id}' not found`);
    return cp;
  }

  appClusters(): AppCluster[] {
    return [...this.#appClusters.values()];
  }

  appCluster(name: string): AppCluster {
    const c = this.#appClusters.get(name);
    if (!c)
      throw new NotFoundError(
        `App cluster '${name}' is not configured; add it under upbound.appClusters`,
      );
    return c;
  }

  argoCdInstances(): ArgoCdInstance[] {
    return this.#argocd;
  }

  fluxInstances(): FluxInstance[] {
    return this.config.flux.map(f => ({ ...f }));
  }

  async claimApis(
    controlPlaneId: string,
    options?: { refresh?: boolean },
  ): Promise<ClaimApi[]> {
    const cached = this.#claimApis.get(controlPlaneId);
    if (
      cached &&
      !options?.refresh &&
      this.#now() - cached.at < CLAIM_API_TTL_MS
    )
      return cached.value;
    const value = (async () => {
      const cp = await this.controlPlane(controlPlaneId);
      const types = await cp.client.resourceTypes();
      const xrdTypes = types.filter(
        t =>
          t.group === 'apiextensions.crossplane.io' &&
          t.kind === 'CompositeResourceDefinition',
      );
      // Read as v2 where served: it reports v2 defaults (scope) faithfully; v1 otherwise.
      const xrdType =
        xrdTypes.find(t => t.version === 'v2') ??
        xrdTypes.find(t => t.version === 'v1');
      if (!xrdType) {
        throw new KubeError({
          type: 'crd-missing',
          cluster: controlPlaneId,
          statusCode: 404,
          message: `CompositeResourceDefinition is not served by ${controlPlaneId}; is Crossplane installed?`,
        });
      }
      const { items } = await cp.client.list(xrdType);
      return items.map(xrdToClaimApi).filter((a): a is ClaimApi => !!a);
    })();
    const entry = { at: this.#now(), value };
    this.#claimApis.set(controlPlaneId, entry);
    value.catch(() => {
      if (this.#claimApis.get(controlPlaneId) === entry)
        this.#claimApis.delete(controlPlaneId);
    });
    return value;
  }

  async controlPlaneCredentials(id: string): Promise<ControlPlaneCredentials> {
    const cp = await this.controlPlane(id);
    const base = {
      server: cp.server,
      ...(cp.caData ? { caData: cp.caData } : {}),
    };
    if (cp.source === 'cloud') {
      const token = await this.#cloudAuth!.orgToken();
      const expiresAt = this.#cloudAuth!.orgTokenExpiresAt();
      return {
        ...base,
        bearerToken: token,
        ...(expiresAt ? { expiresAt } : {}),
      };
    }
    if (cp.source === 'space') {
      const space = this.config.spaces.find(s => s.name === cp.space);
      const token = space?.token ?? space?.hub.token;
      if (!token)
        throw new InputError(
          `Space '${cp.space}' has no bearer token to hand off; set upbound.spaces[].token`,
        );
      return { ...base, bearerToken: token };
    }
    const direct = this.config.controlPlanes.find(
      c => `direct/${c.name}` === id,
    );
    if (!direct?.connection.token) {
      throw new InputError(
        `Control plane '${id}' is configured without a bearer token; set its token`,
      );
    }
    return { ...base, bearerToken: direct.connection.token };
  }

  onInventoryChange(
    listener: (snapshot: InventorySnapshot) => void,
  ): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  stats(): Record<string, ClusterCallStats> {
    const out: Record<string, ClusterCallStats> = {};
    for (const t of this.#transports) out[t.clusterId] = t.stats();
    for (const c of this.#clients.values()) out[c.clusterId] = c.stats();
    return out;
  }

  #transportOptions(): Pick<
    KubeTransportOptions,
    'concurrency' | 'timeoutMs' | 'fetch' | 'sleep' | 'logger'
  > {
    return {
      concurrency: this.config.concurrency.perCluster,
      timeoutMs: this.config.timeouts.requestMs,
      fetch: this.#fetch,
      sleep: this.#sleep,
      logger: this.#logger,
    };
  }

  #transport(
    options: Pick<
      KubeTransportOptions,
      'clusterId' | 'connection' | 'tokenProvider'
    >,
  ): KubeTransport {
    const t = new KubeTransport({ ...this.#transportOptions(), ...options });
    this.#transports.add(t);
    return t;
  }

  /** One client per cluster id and server, kept across discoveries (caches and counters survive). */
  #client(
    clusterId: string,
    connection: ClusterConnection,
    tokenProvider?: KubeTransportOptions['tokenProvider'],
  ): DefaultKubeClient {
    const key = `${clusterId}\u0000${connection.server}\u0000${
      connection.caData ?? ''
    }`;
    let client = this.#clients.get(key);
    if (!client) {
      client = new DefaultKubeClient({
        ...this.#transportOptions(),
        clusterId,
        connection,
        now: this.#now,
        ...(tokenProvider ? { tokenProvider } : {}),
      });
      this.#clients.set(key, client);
    }
    return client;
  }

  #owner(defaultOwner: string | undefined) {
    return (obj: KubeObject, group: string): string | undefined =>
      obj.metadata?.labels?.[this.config.owners.label] ??
      obj.metadata?.annotations?.[this.config.owners.label] ??
      defaultOwner ??
      this.config.owners.namespaces[group] ??
      this.config.owners.default;
  }

  async #discover(): Promise<InventorySnapshot> {
    const jobs: Array<[string, () => Promise<ControlPlane[]>]> = [];
    const limit = pLimit(this.config.concurrency.discovery);
    for (const space of this.config.spaces) {
      if (space.enabled)
        jobs.push([
          `space/${space.name}`,
          () => this.#discoverSelfHosted(space),
        ]);
    }
    for (const direct of this.config.controlPlanes) {
      if (!direct.enabled) continue;
      jobs.push([
        `direct/${direct.name}`,
        () =>
          this.#discoverDirect(direct.name, direct.connection, direct.owner),
      ]);
    }
    const cloudJobs = this.#cloudAuth
      ? this.#cloudSpaceJobs()
      : Promise.resolve([]);

    const run = async (key: string, fn: () => Promise<ControlPlane[]>) => {
      try {
        const controlPlanes = await fn();
        this.#sources.set(key, { controlPlanes });
      } catch (e) {
        const error = sourceError(key, e);
        const previous = this.#sources.get(key);
        this.#logger.warn(
          `Upbound discovery of ${key} failed; keeping its last known control planes: ${error.message}`,
        );
        this.#sources.set(key, {
          controlPlanes: previous?.controlPlanes ?? [],
          error,
        });
      }
    };
    const allJobs = [...jobs, ...(await cloudJobs)];
    await Promise.all(allJobs.map(([key, fn]) => limit(() => run(key, fn))));
    // Drop sources that no longer exist (a Space removed from the organization), unless the
    // Cloud listing failed: then every Cloud Space keeps its last known control planes.
    const cloudListFailed = !!this.#sources.get('cloud')?.error;
    const live = new Set(allJobs.map(([k]) => k));
    for (const key of [...this.#sources.keys()]) {
      if (
        key === 'cloud' ||
        live.has(key) ||
        (cloudListFailed && key.startsWith('cloud/'))
      )
        continue;
      this.#sources.delete(key);
    }

    const controlPlanes: ControlPlane[] = [];
    const errors: ClusterError[] = [];
    const seen = new Set<string>();
    for (const state of this.#sources.values()) {
      for (const cp of state.controlPlanes) {
        if (seen.has(cp.id)) continue;
        seen.add(cp.id);
        controlPlanes.push(cp);
      }
      if (state.error) errors.push(state.error);
    }
    controlPlanes.sort((a, b) => a.id.localeCompare(b.id));
    const snapshot: InventorySnapshot = {
      controlPlanes,
      errors,
      refreshedAt: new Date(this.#now()).toISOString(),
    };
    const changed =
      !this.#snapshot || fingerprint(this.#snapshot) !== fingerprint(snapshot);
    this.#snapshot = snapshot;
    this.#logger.info(
      `Upbound discovery found ${controlPlanes.length} control planes${
        errors.length ? ` (${errors.length} sources failed)` : ''
      }`,
    );
    if (changed) {
      for (const l of this.#listeners) {
        try {
          l(snapshot);
        } catch (e) {
          this.#logger.error(
            `Upbound inventory listener failed: ${(e as Error).message}`,
          );
        }
      }
    }
    return snapshot;
  }

  /** Lists Cloud Spaces; a listing failure keeps every Cloud Space's last known control planes. */
  async #cloudSpaceJobs(): Promise<
    Array<[string, () => Promise<ControlPlane[]>]>
  > {
    const cloud = this.config.cloud!;
    let spaces: CloudSpace[];
    try {
      if (cloud.spaces) {
        // Explicit Spaces: their documented public host; no API listing needed.
        spaces = cloud.spaces.map(name => ({
          name,
          apiURL: `https://${name}.spaces.upbound.io`,
        }));
      } else {
        spaces = await listCloudSpaces(this.#cloudApi!, cloud.organization);
      }
      this.#sources.delete('cloud');
    } catch (e) {
      const error = sourceError('cloud', e);
      this.#logger.warn(
        `Listing Upbound Cloud Spaces failed; keeping the last known control planes: ${error.message}`,
      );
      this.#sources.set('cloud', { controlPlanes: [], error });
      return [];
    }
    return spaces.map(space => [
      `cloud/${space.name}`,
      () => this.#discoverCloudSpace(space, !!cloud.spaces),
    ]);
  }

  async #discoverCloudSpace(
    space: CloudSpace,
    explicit: boolean,
  ): Promise<ControlPlane[]> {
    const auth = this.#cloudAuth!;
    const orgToken = {
      getToken: () => auth.orgToken(),
      invalidate: (refused?: string) => auth.invalidateOrgToken(refused),
    };
    let ingress: SpaceIngress;
    if (explicit) {
      ingress = { host: new URL(space.apiURL).host };
    } else {
      const apiClient = this.#client(
        `cloud-api/${space.name}`,
        { server: space.apiURL },
        {
          getToken: () => auth.session(),
          invalidate: refused => auth.invalidateSession(refused),
        },
      );
      ingress = await readSpaceIngress(apiClient, space.name);
    }
    const connection = (server: string): ClusterConnection => ({
      server,
      ...(ingress.caData ? { caData: ingress.caData } : {}),
    });
    const listClient = this.#client(
      `cloud/${space.name}`,
      connection(`https://${ingress.host}`),
      orgToken,
    );
    return discoverSpace({
      source: 'cloud',
      space: space.name,
      listClient,
      ingress,
      controlPlaneClient: (id, server) =>
        this.#client(id, connection(server), orgToken),
      owner: this.#owner(undefined),
      concurrency: this.config.concurrency.discovery,
    });
  }

  async #discoverSelfHosted(space: SpaceConfig): Promise<ControlPlane[]> {
    const hub = this.#client(`hub/${space.name}`, space.hub);
    const ingress = space.ingress ?? (await readSpaceIngress(hub, space.name));
    const token = space.token ?? space.hub.token;
    const connection = (server: string): ClusterConnection => ({
      server,
      ...(ingress.caData ? { caData: ingress.caData } : {}),
      ...(token ? { token } : {}),
      ...(!token && space.hub.certData && space.hub.keyData
        ? { certData: space.hub.certData, keyData: space.hub.keyData }
        : {}),
      ...(space.hub.dangerouslySkipTLSVerify && !ingress.caData
        ? { dangerouslySkipTLSVerify: true }
        : {}),
    });
    return discoverSpace({
      source: 'space',
      space: space.name,
      listClient: hub,
      ingress,
      controlPlaneClient: (id, server) => this.#client(id, connection(server)),
      owner: this.#owner(space.owner),
      concurrency: this.config.concurrency.discovery,
    });
  }

  async #discoverDirect(
    name: string,
    connection: ClusterConnection,
    owner?: string,
  ): Promise<ControlPlane[]> {
    const id = `direct/${name}`;
    const client = this.#client(id, connection);
    let ready: ControlPlane['ready'];
    try {
      await client.transport.requestJson({
        method: 'GET',
        path: '/version',
        verb: 'get',
      });
      ready = { state: 'True', reason: 'Reachable' };
    } catch (e) {
      // An unreachable direct control plane stays in the inventory, marked not ready.
      ready = {
        state: 'False',
        reason: 'Unreachable',
        message: (e as Error).message,
      };
    }
    const resolvedOwner = owner ?? this.config.owners.default;
    return [
      {
        id,
        source: 'direct',
        name,
        ready,
        conditions: [],
        ...(resolvedOwner ? { owner: resolvedOwner } : {}),
        client,
        server: connection.server,
        ...(connection.caData ? { caData: connection.caData } : {}),
      },
    ];
  }
}

/**
 * Creates the Upbound service without starting periodic discovery (for tests and custom wiring;
 * backends get it through `upboundServiceRef`).
 * @public
 */
export function createUpboundService(
  options: CreateUpboundServiceOptions,
): DefaultUpboundService {
  return new DefaultUpboundService(options);
}
