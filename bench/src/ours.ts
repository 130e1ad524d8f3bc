/**
 * Child process that measures the product: full ingestion through the catalog provider, freshness
 * through its watch path, and the graph route of the backend plugin in a real backend on a port.
 * Input: argv[2] = JSON file with { options, state }; result JSON goes to argv[3].
 */
import fs from 'node:fs';
import { ConfigReader } from '@backstage/config';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { createBackend } from '@backstage/backend-defaults';
import type { Entity } from '@backstage/catalog-model';
import type {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import {
  createUpboundService,
  upboundServiceRef,
  type UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import {
  UpboundEntityProvider,
  readUpboundProviderConfig,
} from '@upbound-backstage/plugin-catalog-backend-module-upbound';
import upboundPlugin from '@upbound-backstage/plugin-upbound-backend';
import {
  ANNOTATION_NAME,
  ANNOTATION_READY,
} from '@upbound-backstage/plugin-upbound-common';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { LocalSpaceState } from '@internal/local-space';
import { benchLogger } from './logger';
import type { BenchOptions } from './options';
import {
  FRESHNESS_NAMESPACE,
  GRAPH_QUERY,
  TARGET_CONTROL_PLANE,
  requester,
} from './space';
import { floorClients, floorRead } from './floor';
import { gc, median, percentile, round, rssMiB, since } from './stats';

const STATIC_TOKEN = 'bench-static-token-0123456789';
const logger = benchLogger('[ours] ');
const log = (line: string) => process.stderr.write(`[ours] ${line}\n`);

function totalCalls(upbound: UpboundService, filter?: string): number {
  return Object.entries(upbound.stats())
    .filter(([id]) => !filter || id === filter)
    .reduce((sum, [, s]) => sum + s.total, 0);
}

function rootConfig(state: LocalSpaceState, extra: Record<string, any> = {}) {
  // What the Space's app-config fragment holds: the hub kubeconfig (discovery) and the app cluster.
  const upbound = {
    spaces: [
      {
        name: state.spaceName,
        enabled: true,
        hub: { kubeconfigPath: state.hub.kubeconfigPath },
      },
    ],
    appClusters: [
      {
        name: state.appCluster.name,
        clusterId: state.appCluster.clusterId,
        kubeconfigPath: state.appCluster.kubeconfigPath,
      },
    ],
  };
  return new ConfigReader({
    ...extra,
    upbound: { ...upbound, ...(extra.upbound ?? {}) },
  });
}

const concurrency = (o: BenchOptions) =>
  o.providerConcurrency ? { concurrency: o.providerConcurrency } : {};

class RecordingConnection implements EntityProviderConnection {
  listeners: Array<(m: EntityProviderMutation) => void> = [];
  lastFull = 0;
  async applyMutation(mutation: EntityProviderMutation) {
    if (mutation.type === 'full') this.lastFull = mutation.entities.length;
    for (const l of this.listeners) l(mutation);
  }
  async refresh() {}
}

function provider(upbound: UpboundService, config: ConfigReader) {
  const tasks: Array<() => Promise<void>> = [];
  const [p] = UpboundEntityProvider.fromConfig(
    readUpboundProviderConfig(config),
    {
      logger,
      upbound,
      scheduler: {
        scheduleTask: async (t: any) => {
          tasks.push(t.fn);
        },
      } as any,
      catalog: { getEntities: async () => ({ items: [] }) } as any,
      auth: {
        getOwnServiceCredentials: async () => ({
          $$type: '@backstage/BackstageCredentials',
          principal: { type: 'service', subject: 'bench' },
        }),
      } as any,
    },
  );
  return p;
}

/**
 * The service with control planes that the Space reports not Ready left out of the inventory: what the
 * full sync would cost if it did not wait for their retries (`--skip-not-ready`, an experiment).
 */
function skippingNotReady(upbound: UpboundService): UpboundService {
  return new Proxy(upbound, {
    get(target, prop, receiver) {
      if (prop === 'inventory') {
        return async (opts?: { refresh?: boolean }) => {
          const snapshot = await target.inventory(opts);
          return {
            ...snapshot,
            controlPlanes: snapshot.controlPlanes.filter(
              cp => cp.ready.state !== 'False',
            ),
          };
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * Full syncs of our provider, each paired with a floor read just before it, so both see the same load
 * on the shared machine; the ratio is the median of the pairs' ratios.
 */
async function ingestion(o: BenchOptions, state: LocalSpaceState) {
  const config = rootConfig(state, {
    catalog: { providers: { upbound: { watch: false, ...concurrency(o) } } },
  });
  gc();
  const rssBefore = rssMiB();
  const service = createUpboundService({ config, logger });
  const upbound = o.skipNotReady ? skippingNotReady(service) : service;
  const p = provider(upbound, config);
  const conn = new RecordingConnection();
  await p.connect(conn);
  const clients = floorClients(state.controlPlanes);
  const runs: Array<{
    ms: number;
    calls: number;
    entities: number;
    floorMs: number;
  }> = [];
  let floorCounts = { calls: 0, objects: 0 };
  for (let i = 0; i <= o.syncRuns; i++) {
    const f0 = performance.now();
    floorCounts = await floorRead(clients);
    const floorMs = since(f0);
    const calls0 = totalCalls(upbound);
    const t0 = performance.now();
    await p.refresh();
    runs.push({
      ms: since(t0),
      calls: totalCalls(upbound) - calls0,
      entities: conn.lastFull,
      floorMs,
    });
    log(
      `full sync ${i === 0 ? '(warm-up, includes discovery)' : i}: ${Math.round(
        runs[i].ms,
      )} ms, ${runs[i].calls} calls, ${
        conn.lastFull
      } entities; floor ${Math.round(floorMs)} ms`,
    );
  }
  gc();
  const rssAfter = rssMiB();
  const measured = runs.slice(1);
  const inventory = await upbound.inventory();
  await p.stop();
  return {
    ours: {
      controlPlanes: inventory.controlPlanes.length,
      entities: measured[0].entities,
      firstSyncMs: round(runs[0].ms, 0),
      firstSyncCalls: runs[0].calls,
      syncMs: measured.map(r => round(r.ms, 0)),
      medianMs: round(median(measured.map(r => r.ms)), 0),
      callsPerSync: median(measured.map(r => r.calls)),
      rssBeforeMiB: rssBefore,
      rssAfterMiB: rssAfter,
      ratioToFloor: round(median(measured.map(r => r.ms / r.floorMs)), 2),
    },
    floor: {
      runsMs: measured.map(r => round(r.floorMs, 0)),
      medianMs: round(median(measured.map(r => r.floorMs)), 0),
      ...floorCounts,
    },
  };
}

async function freshness(o: BenchOptions, state: LocalSpaceState) {
  const config = rootConfig(state, {
    catalog: { providers: { upbound: { watch: true, ...concurrency(o) } } },
  });
  const upbound = createUpboundService({ config, logger });
  const p = provider(upbound, config);
  const conn = new RecordingConnection();
  await p.connect(conn);
  await p.refresh();
  // Let every watch finish its initial list before changing anything.
  const settleUntil = Date.now() + 60_000;
  let lastCalls = -1;
  while (Date.now() < settleUntil) {
    await new Promise(r => setTimeout(r, 1000));
    const calls = totalCalls(upbound);
    if (calls === lastCalls && p.watchCount > 0) break;
    lastCalls = calls;
  }
  log(`freshness: ${p.watchCount} watches open`);

  const cp = state.controlPlanes.find(
    c => `${c.group}/${c.name}` === TARGET_CONTROL_PLANE,
  )!;
  const kube = await requester(cp.kubeconfigPath!);
  const base = `/apis/database.example.org/v1alpha1/namespaces/${FRESHNESS_NAMESPACE}/postgresqlinstances`;
  const waitFor = (
    match: (m: EntityProviderMutation) => boolean,
    timeoutMs = 30_000,
  ) =>
    new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      const timer = setTimeout(() => {
        conn.listeners = conn.listeners.filter(l => l !== listener);
        reject(new Error('no delta within 30 s'));
      }, timeoutMs);
      const listener = (m: EntityProviderMutation) => {
        if (m.type !== 'delta' || !match(m)) return;
        clearTimeout(timer);
        conn.listeners = conn.listeners.filter(l => l !== listener);
        resolve(since(t0));
      };
      conn.listeners.push(listener);
    });
  const added = (name: string, ready?: string) => (m: EntityProviderMutation) =>
    m.type === 'delta' &&
    m.added.some(
      d =>
        d.entity.metadata.annotations?.[ANNOTATION_NAME] === name &&
        (!ready || d.entity.metadata.annotations?.[ANNOTATION_READY] === ready),
    );
  const samples: Record<string, number[]> = {
    create: [],
    update: [],
    delete: [],
  };
  const refs = new Map<string, string>();
  const refListener = (m: EntityProviderMutation) => {
    if (m.type !== 'delta') return;
    for (const d of m.added)
      refs.set(
        d.entity.metadata.annotations?.[ANNOTATION_NAME] ?? '',
        stringifyEntityRef(d.entity as Entity),
      );
  };
  conn.listeners.push(refListener);
  const stamp = Date.now().toString(36);
  try {
    for (let i = 0; i < o.changes; i++) {
      const name = `fresh-${stamp}-${Math.floor(i / 3)}`;
      const op = (['create', 'update', 'delete'] as const)[i % 3];
      let wait: Promise<number>;
      if (op === 'create') {
        wait = waitFor(added(name));
        await kube.request('POST', base, {
          apiVersion: 'database.example.org/v1alpha1',
          kind: 'PostgreSQLInstance',
          metadata: { name, namespace: FRESHNESS_NAMESPACE },
          spec: {
            parameters: { storageGB: 20 },
            compositionRef: { name: 'xpostgresqlinstances-aws' },
          },
        });
      } else if (op === 'update') {
        wait = waitFor(added(name, 'True'));
        await kube.request(
          'PATCH',
          `${base}/${name}/status`,
          {
            status: {
              conditions: [
                {
                  type: 'Ready',
                  status: 'True',
                  reason: 'Available',
                  lastTransitionTime: new Date().toISOString(),
                },
              ],
            },
          },
          'application/merge-patch+json',
        );
      } else {
        const ref = refs.get(name);
        wait = waitFor(
          m =>
            m.type === 'delta' &&
            m.removed.some(r => 'entityRef' in r && r.entityRef === ref),
        );
        await kube.request('DELETE', `${base}/${name}`);
      }
      samples[op].push(await wait);
    }
  } finally {
    kube.close();
    await p.stop();
  }
  const all = [...samples.create, ...samples.update, ...samples.delete];
  return {
    changes: all.length,
    medianMs: round(median(all), 0),
    p95Ms: round(percentile(all, 95), 0),
    maxMs: round(Math.max(...all), 0),
    byOperation: Object.fromEntries(
      Object.entries(samples).map(([k, v]) => [
        k,
        { medianMs: round(median(v), 0), p95Ms: round(percentile(v, 95), 0) },
      ]),
    ),
  };
}

async function startBackend(
  o: BenchOptions,
  state: LocalSpaceState,
  graphTtlMs: number,
) {
  const config = rootConfig(state, {
    backend: {
      baseUrl: `http://127.0.0.1:${o.backendPort}`,
      listen: { host: '127.0.0.1', port: o.backendPort },
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: STATIC_TOKEN, subject: 'bench' },
          },
        ],
      },
    },
    permission: { enabled: false },
    upbound: { backend: { cache: { graphTtlMs } } },
  });
  const upbound = createUpboundService({ config, logger });
  const backend = createBackend();
  backend.add(
    createServiceFactory({
      service: coreServices.rootConfig,
      deps: {},
      factory: () => config,
    }),
  );
  backend.add(
    createServiceFactory({
      service: coreServices.rootLogger,
      deps: {},
      factory: () => benchLogger('[ours backend] ') as any,
    }),
  );
  backend.add(
    createServiceFactory({
      service: upboundServiceRef,
      deps: {},
      factory: () => upbound,
    }),
  );
  backend.add(upboundPlugin);
  await backend.start();
  return { backend, upbound };
}

async function timedGet(url: string): Promise<{ ms: number; nodes: number }> {
  const t0 = performance.now();
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${STATIC_TOKEN}` },
  });
  const body: any = await res.json();
  const ms = since(t0);
  if (!res.ok)
    throw new Error(
      `graph route answered ${res.status}: ${JSON.stringify(body).slice(
        0,
        300,
      )}`,
    );
  return { ms, nodes: body.nodes?.length ?? 0 };
}

async function graph(o: BenchOptions, state: LocalSpaceState) {
  // Cold: no graph cache, so every request builds the graph from the control plane.
  let { backend, upbound } = await startBackend(o, state, 0);
  const cpId = (await upbound.inventory()).controlPlanes.find(
    c => `${c.group}/${c.name}` === TARGET_CONTROL_PLANE,
  )!.id;
  const url = `http://127.0.0.1:${
    o.backendPort
  }/api/upbound/controlplanes/${encodeURIComponent(cpId)}/graph?${GRAPH_QUERY}`;
  const c0 = totalCalls(upbound, cpId);
  const first = await timedGet(url);
  const firstCalls = totalCalls(upbound, cpId) - c0;
  for (let i = 0; i < 5; i++) await timedGet(url); // warm-up: connections, JIT
  const cold: number[] = [];
  const c1 = totalCalls(upbound, cpId);
  for (let i = 0; i < o.graphRequests; i++) cold.push((await timedGet(url)).ms);
  const callsPerRequest = (totalCalls(upbound, cpId) - c1) / o.graphRequests;

  // Concurrent users on the same graph, no cache: concurrent requests share one build.
  const concurrent: number[] = [];
  const c2 = totalCalls(upbound, cpId);
  for (let r = 0; r < o.userRounds; r++) {
    const results = await Promise.all(
      Array.from({ length: o.users }, () => timedGet(url)),
    );
    concurrent.push(...results.map(x => x.ms));
  }
  const callsPerRound = (totalCalls(upbound, cpId) - c2) / o.userRounds;
  await backend.stop();

  // Warm: the default graph cache.
  ({ backend, upbound } = await startBackend(o, state, 60_000));
  for (let i = 0; i < 5; i++) await timedGet(url);
  const warm: number[] = [];
  for (let i = 0; i < o.graphRequests; i++) warm.push((await timedGet(url)).ms);
  await backend.stop();
  return {
    nodes: first.nodes,
    firstRequestMs: round(first.ms, 0),
    firstRequestCalls: firstCalls,
    cold: {
      p50Ms: round(percentile(cold, 50)),
      p95Ms: round(percentile(cold, 95)),
    },
    warm: {
      p50Ms: round(percentile(warm, 50), 2),
      p95Ms: round(percentile(warm, 95), 2),
    },
    callsPerRequest: round(callsPerRequest, 1),
    concurrent: {
      users: o.users,
      rounds: o.userRounds,
      p50Ms: round(percentile(concurrent, 50)),
      p95Ms: round(percentile(concurrent, 95)),
      callsPerRound: round(callsPerRound, 1),
    },
  };
}

async function main() {
  const { options, state, only } = JSON.parse(
    fs.readFileSync(process.argv[2], 'utf8'),
  ) as {
    options: BenchOptions;
    state: LocalSpaceState;
    only: string[];
  };
  const result: Record<string, unknown> = {};
  const step = async (name: string, fn: () => Promise<unknown>) => {
    if (!only.includes(name)) return;
    try {
      result[name] = await fn();
    } catch (e) {
      result[name] = { error: e instanceof Error ? e.message : String(e) };
      log(`${name} failed: ${e instanceof Error ? e.stack : e}`);
    }
    fs.writeFileSync(process.argv[3], JSON.stringify(result, null, 2));
  };
  if (only.includes('ingestion')) {
    try {
      const r = await ingestion(options, state);
      result.ingestion = r.ours;
      result.floor = r.floor;
    } catch (e) {
      result.ingestion = { error: e instanceof Error ? e.message : String(e) };
      log(`ingestion failed: ${e instanceof Error ? e.stack : e}`);
    }
    fs.writeFileSync(process.argv[3], JSON.stringify(result, null, 2));
  }
  await step('freshness', () => freshness(options, state));
  await step('graph', () => graph(options, state));
  process.exit(0);
}

main().catch(e => {
  log(e.stack);
  process.exit(1);
});
