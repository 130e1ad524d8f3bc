/**
 * Freshness as a user sees it: a write to the control plane's API server (create a claim, set its
 * Ready condition, delete it, in turn) until the catalog API returns the changed entity (or no longer
 * returns it). Each change is also timed to the provider's `delta` mutation, which splits the time
 * into the watch path and the catalog's processing and stitching.
 *
 * Three series: changes one after the other on an idle backend; changes made while full syncs run
 * back to back (each change is counted there only when a full sync was running at its write); and
 * a shorter idle series after that, to tell the syncs' cost from the catalog's background work.
 */
import type { LocalSpaceState } from '@internal/local-space';
import {
  ANNOTATION_NAME,
  ANNOTATION_READY,
} from '@upbound-backstage/plugin-upbound-common';
import type { BenchBackend } from '../backend/BenchBackend';
import { KubeHttp } from '../kube';
import { FRESHNESS_NAMESPACE, TARGET_CONTROL_PLANE } from '../space';
import { sleep, summary } from '../stats';
import { triggeredSync } from './ingestion';

const now = () => performance.timeOrigin + performance.now();
const BASE = `/apis/database.example.org/v1alpha1/namespaces/${FRESHNESS_NAMESPACE}/postgresqlinstances`;
const OPS = ['create', 'update', 'delete'] as const;
type Op = (typeof OPS)[number];

interface Sample {
  op: Op;
  write: number;
  /** Write to the catalog API returning the change. */
  visibleMs: number;
  /** Write to the provider's delta mutation that carries it. */
  deltaMs?: number;
}

/** Records the provider's deltas by claim name, so each change finds its own. */
class DeltaLog {
  readonly #byName = new Map<
    string,
    Array<{ t: number; ready?: string; removed: boolean }>
  >();
  readonly #refs = new Map<string, string>();
  constructor(backend: BenchBackend) {
    backend.on('delta', (d: any) => {
      for (const a of d.added) {
        if (!a.name) continue;
        this.#refs.set(a.ref, a.name);
        this.#push(a.name, { t: d.t, ready: a.ready, removed: false });
      }
      for (const ref of d.removed) {
        const name = this.#refs.get(ref);
        if (name) this.#push(name, { t: d.t, removed: true });
      }
    });
  }
  #push(name: string, e: { t: number; ready?: string; removed: boolean }) {
    const list = this.#byName.get(name) ?? [];
    list.push(e);
    this.#byName.set(name, list);
  }
  /** The first delta after `after` that carries the change. */
  find(name: string, op: Op, after: number): number | undefined {
    return this.#byName
      .get(name)
      ?.find(
        e =>
          e.t >= after &&
          (op === 'delete'
            ? e.removed
            : !e.removed && (op === 'create' || e.ready === 'True')),
      )?.t;
  }
}

function body(name: string) {
  return {
    apiVersion: 'database.example.org/v1alpha1',
    kind: 'PostgreSQLInstance',
    metadata: { name, namespace: FRESHNESS_NAMESPACE },
    spec: {
      parameters: { storageGB: 20 },
      compositionRef: { name: 'xpostgresqlinstances-aws' },
    },
  };
}

async function write(kube: KubeHttp, op: Op, name: string) {
  if (op === 'create') await kube.ok('POST', BASE, body(name));
  else if (op === 'update')
    await kube.ok(
      'PATCH',
      `${BASE}/${name}/status`,
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
  else await kube.ok('DELETE', `${BASE}/${name}`);
}

/**
 * One poller of the catalog API for every pending change: a single query for the entities of the
 * freshness namespace every 50 ms, however many changes are in flight, so the polling itself does
 * not load the backend more when several changes run at once.
 */
class CatalogPoller {
  readonly #waiters = new Set<{
    seen: (byName: Map<string, any>) => boolean;
    resolve: (t: number) => void;
    reject: (e: Error) => void;
    until: number;
  }>();
  #running = false;

  constructor(private readonly backend: BenchBackend) {}

  /** Resolves with the time of the first answer in which `op` of `name` shows. */
  wait(op: Op, name: string, timeoutMs: number): Promise<number> {
    const seen = (byName: Map<string, any>) => {
      const e = byName.get(name);
      if (op === 'create') return !!e;
      if (op === 'update')
        return e?.metadata.annotations?.[ANNOTATION_READY] === 'True';
      return !e;
    };
    return new Promise((resolve, reject) => {
      this.#waiters.add({
        seen,
        resolve,
        reject,
        until: Date.now() + timeoutMs,
      });
      if (!this.#running) this.#loop();
    });
  }

  async #loop() {
    this.#running = true;
    try {
      while (this.#waiters.size) {
        const items = await this.backend.entitiesIn(
          FRESHNESS_NAMESPACE,
          'kind,metadata.name,metadata.annotations',
        );
        const t = now();
        const byName = new Map<string, any>(
          items.map(e => [e.metadata.annotations?.[ANNOTATION_NAME], e]),
        );
        for (const w of [...this.#waiters]) {
          if (w.seen(byName)) {
            this.#waiters.delete(w);
            w.resolve(t);
          } else if (Date.now() > w.until) {
            this.#waiters.delete(w);
            w.reject(
              new Error('a change was not visible in the catalog API in time'),
            );
          }
        }
        await sleep(50);
      }
    } finally {
      this.#running = false;
    }
  }
}

async function change(
  poller: CatalogPoller,
  kube: KubeHttp,
  deltas: DeltaLog,
  op: Op,
  name: string,
): Promise<Sample> {
  const t0 = now();
  await write(kube, op, name);
  const t1 = await poller.wait(op, name, 120_000);
  const d = deltas.find(name, op, t0);
  return {
    op,
    write: t0,
    visibleMs: t1 - t0,
    ...(d !== undefined ? { deltaMs: d - t0 } : {}),
  };
}

function report(samples: Sample[]) {
  const deltas = samples
    .filter(s => s.deltaMs !== undefined)
    .map(s => s.deltaMs!);
  return {
    visible: summary(samples.map(s => s.visibleMs)),
    delta: summary(deltas),
    byOperation: Object.fromEntries(
      OPS.map(op => [
        op,
        summary(samples.filter(s => s.op === op).map(s => s.visibleMs)),
      ]),
    ),
  };
}

export async function freshness(
  backend: BenchBackend,
  state: LocalSpaceState,
  changes: number,
  log: (l: string) => void,
) {
  const cp = state.controlPlanes.find(
    c => `${c.group}/${c.name}` === TARGET_CONTROL_PLANE,
  )!;
  const kube = KubeHttp.fromKubeconfig(cp.kubeconfigPath!, 4);
  const deltas = new DeltaLog(backend);
  const poller = new CatalogPoller(backend);
  const stamp = Date.now().toString(36);
  const nameOf = (series: string, i: number) =>
    `fresh-${stamp}-${series}-${Math.floor(i / 3)}`;
  try {
    // Idle: one change at a time.
    const idle: Sample[] = [];
    for (let i = 0; i < changes; i++) {
      idle.push(await change(poller, kube, deltas, OPS[i % 3], nameOf('i', i)));
      if (i % 30 === 29) log(`freshness (idle): ${i + 1} of ${changes}`);
    }

    // While full syncs run back to back: each of several lanes waits until a full sync is running
    // and then makes its next change (create, update or delete of its own claim), so the writes
    // land while the sync reads; only changes written while a sync ran are counted.
    const syncs: Array<{ start: number; end: number }> = [];
    let syncing: { start: number } | undefined;
    let waiters: Array<() => void> = [];
    const onStart = (m: any) => {
      syncing = { start: m.t };
      waiters.forEach(w => w());
      waiters = [];
    };
    const onEnd = (m: any) => {
      if (syncing) syncs.push({ start: syncing.start, end: m.t });
      syncing = undefined;
    };
    const whileSyncing = () =>
      syncing ? Promise.resolve() : new Promise<void>(r => waiters.push(r));
    backend.on('sync-start', onStart);
    backend.on('sync-end', onEnd);
    let stop = false;
    const changedPerSync: number[] = [];
    const loop = (async () => {
      while (!stop) changedPerSync.push((await triggeredSync(backend)).changed);
    })();
    const during: Sample[] = [];
    const all: Sample[] = [];
    const inSync = (t: number) =>
      (syncing !== undefined && t >= syncing.start) ||
      syncs.some(x => t >= x.start && t <= x.end);
    const lanes = Math.min(10, Math.ceil(changes / 3));
    await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        for (let i = 0; during.length < changes && i < changes * 3; i++) {
          await whileSyncing();
          const s = await change(
            poller,
            kube,
            deltas,
            OPS[i % 3],
            nameOf(`s${lane}`, i),
          );
          all.push(s);
          if (inSync(s.write)) during.push(s);
        }
      }),
    );
    stop = true;
    await loop;
    backend.off('sync-start', onStart);
    backend.off('sync-end', onEnd);
    log(
      `freshness (during full syncs): ${during.length} of ${all.length} changes were written while one of ${syncs.length} full syncs ran`,
    );
    // Idle again: tells what the full syncs cost apart from what the catalog is doing anyway by then
    // (its periodic re-processing of every entity, 100 to 150 s after the last).
    const after: Sample[] = [];
    const afterCount = Math.max(3, Math.round(changes / 3));
    for (let i = 0; i < afterCount; i++)
      after.push(
        await change(poller, kube, deltas, OPS[i % 3], nameOf('a', i)),
      );
    return {
      idle: report(idle),
      idleAfter: report(after),
      duringSync: {
        ...report(during),
        changesWritten: all.length,
        fullSyncs: syncs.length,
        fullSyncMedianMs: summary(syncs.map(s => s.end - s.start)).p50Ms,
        // Entities each full sync changed (the catalog processes those again).
        changedPerSync,
      },
    };
  } finally {
    kube.close();
  }
}
