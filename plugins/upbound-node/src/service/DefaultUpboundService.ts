import type { Config } from '@backstage/config';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import pLimit from 'p-limit';
import type { ClaimApi } from '@upbound-backstage/plugin-upbound-common';
import type {
  AppCluster,
  ArgoCdInstance,
  ClusterCallStats,
  ControlPlane,
  ControlPlaneCredentials,
  FluxInstance,
  InventorySnapshot,
  UpboundService,
} from '../types';
import type { UpboundConfig } from '../config/types';
import { readUpboundConfig } from '../config/readUpboundConfig';
import type { KubeFetch } from '../kube/KubeTransport';
import { ClaimApiCache } from '../claimApis/ClaimApiCache';
import { readClaimApis } from '../claimApis/readClaimApis';
import type { DiscoveryJob, DiscoverySource } from '../inventory/types';
import { SourceStates } from '../inventory/SourceStates';
import { SpaceHubSource } from '../inventory/SpaceHubSource';
import { DirectControlPlaneSource } from '../inventory/DirectControlPlaneSource';
import { UpboundCloudSource } from '../inventory/UpboundCloudSource';
import { argoCdInstances } from '../argocd/ArgoCdClient';
import { KubeClientPool } from './KubeClientPool';
import { DiscoveryTimer } from './DiscoveryTimer';

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

function isParsedConfig(c: Config | UpboundConfig): c is UpboundConfig {
  return Array.isArray((c as UpboundConfig).controlPlanes) && 'endpoints' in c;
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
 * It composes small parts: a discovery source per kind of source (Upbound Cloud, Space hubs,
 * direct control planes), a client pool, a claim API cache, Argo CD clients and a timer.
 * @public
 */
export class DefaultUpboundService implements UpboundService {
  readonly config: UpboundConfig;
  readonly #logger: LoggerService;
  readonly #now: () => number;
  readonly #pool: KubeClientPool;
  /** In the order their jobs run: Spaces, direct control planes, then Upbound Cloud. */
  readonly #sources: DiscoverySource[] = [];
  readonly #states = new SourceStates();
  readonly #claimApis: ClaimApiCache;
  readonly #timer: DiscoveryTimer;
  readonly #listeners = new Set<(s: InventorySnapshot) => void>();
  readonly #appClusters = new Map<string, AppCluster>();
  readonly #argocd: ArgoCdInstance[];
  #snapshot?: InventorySnapshot;
  #refreshing?: Promise<InventorySnapshot>;

  constructor(options: CreateUpboundServiceOptions) {
    this.config = isParsedConfig(options.config)
      ? options.config
      : readUpboundConfig(options.config);
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    for (const w of this.config.warnings) this.#logger.warn(w);
    const { config } = this;

    this.#pool = new KubeClientPool({
      concurrency: config.concurrency.perCluster,
      timeoutMs: config.timeouts.requestMs,
      logger: this.#logger,
      fetch: options.fetch,
      sleep: options.sleep,
      now: this.#now,
    });
    const shared = {
      pool: this.#pool,
      owners: config.owners,
      concurrency: config.concurrency.discovery,
    };
    this.#sources.push(
      new SpaceHubSource({ ...shared, spaces: config.spaces }),
      new DirectControlPlaneSource({
        ...shared,
        controlPlanes: config.controlPlanes,
      }),
    );
    if (config.cloud?.enabled) {
      this.#sources.push(
        new UpboundCloudSource({
          ...shared,
          cloud: config.cloud,
          endpoints: config.endpoints,
          timeoutMs: config.timeouts.requestMs,
          logger: this.#logger,
          now: this.#now,
          fetch: options.fetch,
          sleep: options.sleep,
        }),
      );
    }
    this.#claimApis = new ClaimApiCache({
      ttlMs: CLAIM_API_TTL_MS,
      now: this.#now,
      load: async id => readClaimApis(await this.controlPlane(id)),
    });
    this.#timer = new DiscoveryTimer(() => this.refresh(), this.#logger);

    for (const a of config.appClusters) {
      this.#appClusters.set(a.name, {
        name: a.name,
        ...(a.title ? { title: a.title } : {}),
        ...(a.clusterId ? { clusterId: a.clusterId } : {}),
        source: a.source,
        client: this.#pool.client(`app-cluster/${a.name}`, a.connection),
        server: a.connection.server,
      });
    }

    this.#argocd = argoCdInstances(config.argocd, this.#pool);
  }

  /** Starts periodic discovery; the first run starts after `initialDelayMs`. */
  start(options: { frequencyMs: number; initialDelayMs?: number }): void {
    this.#timer.start(options);
  }

  /** Stops periodic discovery. */
  stop(): void {
    this.#timer.stop();
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

  claimApis(
    controlPlaneId: string,
    options?: { refresh?: boolean },
  ): Promise<ClaimApi[]> {
    return this.#claimApis.get(controlPlaneId, options);
  }

  async controlPlaneCredentials(id: string): Promise<ControlPlaneCredentials> {
    const cp = await this.controlPlane(id);
    const source = this.#sources.find(s => s.name === cp.source);
    if (!source)
      throw new NotFoundError(
        `Control plane '${id}' comes from ${cp.source}, which is not configured`,
      );
    return source.credentials(cp);
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
    return this.#pool.stats();
  }

  async #discover(): Promise<InventorySnapshot> {
    const states = this.#states;
    // Every source lists its jobs first (Upbound Cloud lists its Spaces); then all jobs run.
    const listed = await Promise.all(
      this.#sources.map(async (source): Promise<DiscoveryJob[]> => {
        try {
          const jobs = await source.jobs();
          states.listed(source.name);
          return jobs;
        } catch (e) {
          const error = states.listingFailed(source.name, e);
          this.#logger.warn(
            `Listing ${source.title} failed; keeping the last known control planes: ${error.message}`,
          );
          return [];
        }
      }),
    );
    const jobs = listed.flat();
    const limit = pLimit(this.config.concurrency.discovery);
    await Promise.all(
      jobs.map(job =>
        limit(async () => {
          try {
            states.succeeded(job.key, await job.discover());
          } catch (e) {
            const error = states.failed(job.key, e);
            this.#logger.warn(
              `Upbound discovery of ${job.key} failed; keeping its last known control planes: ${error.message}`,
            );
          }
        }),
      ),
    );
    states.prune(
      new Set(jobs.map(j => j.key)),
      this.#sources.map(s => s.name),
    );

    const { controlPlanes, errors } = states.merged();
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
