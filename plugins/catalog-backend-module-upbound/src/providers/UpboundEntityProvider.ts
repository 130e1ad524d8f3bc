import type {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_ORIGIN_LOCATION,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { stringifyError } from '@backstage/errors';
import type {
  CatalogService,
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  claimTypeLabel,
  type ClaimTypeReadError,
  type ControlPlaneSummary,
} from '@upbound-backstage/plugin-upbound-common';
import type {
  InventorySnapshot,
  KubeObject,
  UpboundService,
  WatchEventType,
} from '@upbound-backstage/plugin-upbound-node';
import pLimit from 'p-limit';
import { claimToEntity } from '../lib/claimEntity';
import { providerOrigin, sameEntity } from '../lib/entityRefs';
import type { MappingContext } from '../lib/mappingContext';
import { assembleEntities } from './assembleEntities';
import { ClaimWatcher, type WatchTarget } from './ClaimWatcher';
import { claimTypesOf, objectKey, type ClaimTypeRef } from './claimTypes';
import type { UpboundProviderConfig } from './config';
import {
  readControlPlane,
  mapClaimItems,
  failureReason,
} from './readControlPlane';
import {
  claimsOfType,
  emptyState,
  type ControlPlaneState,
} from './ControlPlaneState';
import {
  mergeStates,
  needsCatalogSeed,
  replayJournal,
  seedFromCatalog,
  type JournalEntry,
} from './mergeStates';
import { recordFailedSyncMetrics, recordFullSyncMetrics } from './syncMetrics';

/** Options of {@link UpboundEntityProvider.fromConfig}. @public */
export interface UpboundEntityProviderOptions {
  logger: LoggerService;
  scheduler: SchedulerService;
  upbound: UpboundService;
  /** Reads back this provider's entities when a control plane fails before any good read. */
  catalog: CatalogService;
  auth: AuthService;
}

/**
 * Emits Upbound control planes, claim APIs (XRDs), claims, namespaced XRs, app clusters and
 * (optionally) claim templates as catalog entities.
 *
 * A scheduled full sync (scope `global`) reads every control plane with bounded parallelism and
 * applies a `full` mutation; watches on every claim type emit `delta` mutations in between. A
 * control plane whose read fails keeps its last good entities, marked stale; when this process
 * has no good read of it yet, they are read back from the catalog, and if that fails no `full`
 * mutation is applied at all.
 * @public
 */
export class UpboundEntityProvider implements EntityProvider {
  readonly #config: UpboundProviderConfig;
  readonly #logger: LoggerService;
  readonly #scheduler: SchedulerService;
  readonly #upbound: UpboundService;
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #watcher: ClaimWatcher;
  #connection?: EntityProviderConnection;
  #states = new Map<string, ControlPlaneState>();
  readonly #inflight = new Map<string, JournalEntry[]>();
  #appliedFull = false;
  #deltaQueue: Promise<void> = Promise.resolve();
  #unsubscribe?: () => void;
  #stopped = false;
  #recoveryRequested = false;

  /** Creates the provider from parsed config; returns none when the provider is disabled. */
  static fromConfig(
    config: UpboundProviderConfig,
    options: UpboundEntityProviderOptions,
  ): UpboundEntityProvider[] {
    if (!config.enabled) return [];
    return [new UpboundEntityProvider(config, options)];
  }

  private constructor(
    config: UpboundProviderConfig,
    options: UpboundEntityProviderOptions,
  ) {
    this.#config = config;
    this.#logger = options.logger.child({ target: this.getProviderName() });
    this.#scheduler = options.scheduler;
    this.#upbound = options.upbound;
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#watcher = new ClaimWatcher({
      logger: this.#logger,
      listener: {
        onEvent: (cp, ref, type, obj) => this.#onWatchEvent(cp, ref, type, obj),
        onSync: (cp, ref, items) => this.#onWatchSync(cp, ref, items),
      },
    });
  }

  #taskId(): string {
    return `${this.getProviderName()}:refresh`;
  }

  /** {@inheritDoc @backstage/plugin-catalog-node#EntityProvider.getProviderName} */
  getProviderName(): string {
    return `upbound-provider:${this.#config.id}`;
  }

  /** {@inheritDoc @backstage/plugin-catalog-node#EntityProvider.connect} */
  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    const id = this.#taskId();
    await this.#scheduler.scheduleTask({
      id,
      ...this.#config.schedule,
      // One replica runs each full sync.
      scope: 'global',
      fn: async () => {
        const logger = this.#logger.child({
          class: UpboundEntityProvider.name,
          taskId: id,
        });
        try {
          await this.refresh(logger);
        } catch (error) {
          logger.error(
            `Full sync failed; no entities were changed: ${stringifyError(
              error,
            )}`,
          );
        }
      },
    });
    if (this.#config.watch && this.#config.entities.claims) {
      this.#unsubscribe = this.#upbound.onInventoryChange(snapshot => {
        this.#rewatch(snapshot).catch(error =>
          this.#logger.warn(
            `Could not update claim watches: ${stringifyError(error)}`,
          ),
        );
      });
    }
  }

  /** Stops watches and inventory listeners (on shutdown). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#watcher.stop();
    await this.#deltaQueue;
  }

  /** Reads every control plane and applies a `full` mutation. Throws (and applies nothing) when unsafe. */
  async refresh(logger: LoggerService = this.#logger): Promise<void> {
    const connection = this.#connection;
    if (!connection)
      throw new Error(`${this.getProviderName()} is not connected yet`);
    const started = Date.now();
    const snapshot = await this.#upbound.inventory();
    // Watch events from now until the states are swapped are replayed onto the reads.
    for (const cp of snapshot.controlPlanes) this.#inflight.set(cp.id, []);
    try {
      await this.#fullSync(connection, snapshot, logger, started);
    } catch (error) {
      recordFailedSyncMetrics(this.getProviderName(), started);
      throw error;
    } finally {
      this.#inflight.clear();
    }
  }

  async #fullSync(
    connection: EntityProviderConnection,
    snapshot: InventorySnapshot,
    logger: LoggerService,
    started: number,
  ): Promise<void> {
    const ctx = this.#context();
    const limit = pLimit(this.#config.concurrency);
    const results = await Promise.all(
      snapshot.controlPlanes.map(cp =>
        limit(() =>
          readControlPlane(cp, {
            upbound: this.#upbound,
            config: this.#config,
            ctx,
          }),
        ),
      ),
    );

    const now = new Date().toISOString();
    const merged = mergeStates({
      results,
      previous: this.#states,
      discoveryErrors: snapshot.errors,
      now,
    });
    for (const r of results) {
      if (r.ok) {
        const failures = merged.states.get(r.cp.id)?.typeFailures;
        this.#logTypeChanges(
          logger,
          r.cp.id,
          this.#states.get(r.cp.id),
          failures ?? new Map(),
        );
      } else {
        logger.warn(
          `Control plane ${
            r.cp.id
          } could not be read; keeping its last good entities: ${failureReason(
            r.error,
          )}`,
        );
      }
    }
    if (needsCatalogSeed(merged, this.#appliedFull)) {
      seedFromCatalog(merged, await this.#readOwnEntities(), now);
    }
    replayJournal(merged, results, this.#inflight);
    const next = merged.states;
    this.#states = next;
    this.#inflight.clear();
    this.#recoveryRequested = false;
    const entities = assembleEntities({
      states: next.values(),
      ctx,
      config: this.#config,
      appClusters: this.#upbound.appClusters(),
    });
    await connection.applyMutation({
      type: 'full',
      entities: entities.map(e => this.#deferred(e)),
    });
    this.#appliedFull = true;
    const failed = results.filter(r => !r.ok).length;
    const failedTypes = results.reduce(
      (n, r) => n + (r.ok ? r.failures.length : 0),
      0,
    );
    logger.info(
      `Read ${results.length - failed} of ${results.length} control planes in ${
        Date.now() - started
      } ms; emitted ${entities.length} entities${
        failed ? ` (${failed} control planes stale)` : ''
      }${failedTypes ? ` (${failedTypes} claim types stale)` : ''}`,
    );
    recordFullSyncMetrics({
      provider: this.getProviderName(),
      started,
      results,
      entities,
      states: next.values(),
    });

    if (this.#config.watch && this.#config.entities.claims && !this.#stopped) {
      const targets: WatchTarget[] = [];
      const keep = new Set<string>();
      for (const r of results) {
        if (r.ok)
          targets.push({ controlPlane: r.cp, types: claimTypesOf(r.apis) });
        else keep.add(r.cp.id);
      }
      this.#watcher.reconcile(targets, keep);
    }
  }

  /** Logs a claim type when it starts failing, fails differently, or can be listed again. */
  #logTypeChanges(
    logger: LoggerService,
    controlPlaneId: string,
    prev: ControlPlaneState | undefined,
    failures: Map<string, ClaimTypeReadError>,
  ) {
    const before = prev?.typeFailures ?? new Map<string, ClaimTypeReadError>();
    for (const [key, f] of failures) {
      const old = before.get(key);
      if (old && old.type === f.type && old.message === f.message) continue;
      logger.warn(
        `Claims of ${claimTypeLabel(
          f,
        )} in control plane ${controlPlaneId} could not be listed; keeping their last good entities, the other types are current: ${
          f.message
        }`,
      );
    }
    for (const [key, f] of before) {
      if (!failures.has(key))
        logger.info(
          `Claims of ${claimTypeLabel(
            f,
          )} in control plane ${controlPlaneId} are listed again`,
        );
    }
  }

  #context(): MappingContext {
    const c = this.#config;
    return {
      providerName: this.getProviderName(),
      ownerLabel: c.ownerLabel,
      namespaceOwners: c.namespaceOwners,
      defaultOwner: c.defaultOwner,
      ...(c.system ? { system: c.system } : {}),
      appClusters: this.#upbound.appClusters(),
      entities: {
        controlPlanes: c.entities.controlPlanes,
        claimApis: c.entities.claimApis,
      },
    };
  }

  #deferred(entity: Entity): DeferredEntity {
    return { entity, locationKey: this.getProviderName() };
  }

  /** This provider's entities as the catalog holds them (also those another replica emitted). */
  async #readOwnEntities(): Promise<Entity[]> {
    const credentials = await this.#auth.getOwnServiceCredentials();
    const { items } = await this.#catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${ANNOTATION_ORIGIN_LOCATION}`]:
            providerOrigin(this.getProviderName()),
        },
      },
      { credentials },
    );
    return items;
  }

  #stateFor(cp: ControlPlaneSummary): ControlPlaneState {
    let state = this.#states.get(cp.id);
    if (!state) {
      state = emptyState(cp.id, cp);
      this.#states.set(cp.id, state);
    }
    return state;
  }

  #onWatchEvent(
    cp: ControlPlaneSummary,
    ref: ClaimTypeRef,
    type: WatchEventType,
    obj: KubeObject,
  ) {
    const name = obj.metadata?.name;
    if (type === 'BOOKMARK' || !name || this.#stopped) return;
    const key = objectKey(obj.metadata?.namespace, name);
    const byName = claimsOfType(this.#stateFor(cp), ref.key);
    const prev = byName.get(key);
    if (type === 'DELETED') {
      this.#inflight.get(cp.id)?.push({ typeKey: ref.key, key });
      if (!prev) return;
      byName.delete(key);
      this.#emitDelta([], [prev]);
      return;
    }
    const entity = claimToEntity(cp, ref.api, ref.type, obj, this.#context());
    if (!entity) return;
    this.#inflight.get(cp.id)?.push({ typeKey: ref.key, key, entity });
    // Compare the mapped entity, not the object: resourceVersion bumps cause no churn.
    if (sameEntity(prev, entity)) return;
    byName.set(key, entity);
    this.#emitDelta([entity], []);
  }

  #onWatchSync(
    cp: ControlPlaneSummary,
    ref: ClaimTypeRef,
    items: KubeObject[],
  ) {
    if (this.#stopped) return;
    const state = this.#stateFor(cp);
    const prev = claimsOfType(state, ref.key);
    const next = mapClaimItems(cp, ref, items, this.#context());
    const added = [...next]
      .filter(([k, e]) => !sameEntity(prev.get(k), e))
      .map(([, e]) => e);
    const removed = [...prev].filter(([k]) => !next.has(k)).map(([, e]) => e);
    state.claims.set(ref.key, next);
    const journal = this.#inflight.get(cp.id);
    if (journal) {
      for (const [key, entity] of next)
        journal.push({ typeKey: ref.key, key, entity });
      for (const key of prev.keys()) {
        if (!next.has(key)) journal.push({ typeKey: ref.key, key });
      }
    }
    this.#emitDelta(added, removed);
    // A watch that lists again after an outage means the control plane (or the type) is back:
    // clear its stale marks with a full sync now rather than at the next scheduled run.
    if (
      (state.stale || state.typeFailures?.has(ref.key)) &&
      !this.#recoveryRequested
    ) {
      this.#recoveryRequested = true;
      Promise.resolve()
        .then(() => this.#scheduler.triggerTask(this.#taskId()))
        .catch(error =>
          this.#logger.debug(
            `Could not trigger a full sync: ${stringifyError(error)}`,
          ),
        );
    }
  }

  #emitDelta(added: Entity[], removed: Entity[]) {
    const connection = this.#connection;
    if (!connection || (!added.length && !removed.length)) return;
    this.#deltaQueue = this.#deltaQueue
      .then(() =>
        connection.applyMutation({
          type: 'delta',
          added: added.map(e => this.#deferred(e)),
          removed: removed.map(e => ({
            entityRef: stringifyEntityRef(e),
            locationKey: this.getProviderName(),
          })),
        }),
      )
      .then(() =>
        this.#logger.debug(
          `Applied delta: ${added.length} added, ${removed.length} removed`,
        ),
      )
      .catch(error =>
        this.#logger.warn(`Could not apply a delta: ${stringifyError(error)}`),
      );
  }

  /** Restarts watches for a new inventory (new or removed control planes, changed claim APIs). */
  async #rewatch(snapshot: InventorySnapshot): Promise<void> {
    if (this.#stopped) return;
    const limit = pLimit(this.#config.concurrency);
    const targets: WatchTarget[] = [];
    const keep = new Set<string>();
    // Control planes that discovery could not list may still exist: leave their watches alone.
    if (snapshot.errors.length)
      for (const id of this.#states.keys()) keep.add(id);
    await Promise.all(
      snapshot.controlPlanes.map(cp =>
        limit(async () => {
          try {
            targets.push({
              controlPlane: cp,
              types: claimTypesOf(await this.#upbound.claimApis(cp.id)),
            });
          } catch {
            keep.add(cp.id);
          }
        }),
      ),
    );
    this.#watcher.reconcile(targets, keep);
  }

  /** Number of open claim watches (for tests and diagnostics). */
  get watchCount(): number {
    return this.#watcher.size;
  }
}
