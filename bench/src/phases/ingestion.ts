/**
 * Ingestion into the real catalog, with the product's default config (watches on): the backend
 * starts, its memory is read, then its Upbound work starts and is timed
 * - to the `full` mutation (discovery, the provider's read of every control plane and mapping),
 * - to the catalog taking the mutation (its write of the unprocessed entities),
 * - to every entity being processed, stitched and returned by the catalog API (catalog-visible);
 * then the API calls settle and the memory is read again. Afterwards, full syncs triggered through
 * the scheduler are paired with a floor read made just before each, in the backend's process (so
 * both share it with the catalog's processing).
 */
import type { BenchBackend } from '../backend/BenchBackend';
import type { FloorResult } from '../floor';
import { median, round, sleep } from '../stats';

const now = () => performance.timeOrigin + performance.now();
const MiB = (bytes: number) => round(bytes / 2 ** 20, 0);

export interface FirstSync {
  entities: number;
  /** Of which claims (the rest: control planes, claim APIs, namespaced XRs, app clusters). */
  claims: number;
  /** Start of Upbound work to the first `delta` (the claim watches' initial lists). */
  firstDeltaMs?: number;
  /** Start of Upbound work to the full mutation: discovery, the provider's read and mapping. */
  providerMs: number;
  /** The full sync alone: its start to its full mutation. */
  fullSyncReadMs: number;
  /** Start of Upbound work to the catalog having taken the full mutation. */
  acceptedMs: number;
  /** Start of Upbound work to every entity returned by the catalog API; the wait's length when it timed out. */
  visibleMs: number;
  /** Entities the catalog API returned when the wait ended (all of them unless it timed out). */
  visibleCount: number;
  /** The catalog had not returned every entity within the wait: visibleMs is a lower bound. */
  timedOut?: boolean;
  /** API calls from the start until they settle: discovery, the watches' lists, the full sync. */
  calls: number;
  /** Of which the full sync's. */
  syncCalls: number;
  /** Entity refs of the mutation that the catalog API did not return at the end. */
  missing: number;
  /** CPU time the backend used from the start to catalog-visible, and its share of that wall time. */
  cpu: { ms: number; share: number };
  memory: {
    baselineRssMiB: number;
    baselineHeapMiB: number;
    afterRssMiB: number;
    afterHeapMiB: number;
    rssGrowthMiB: number;
    heapGrowthMiB: number;
    /** Growth of the V8 heap the process reserved (used or not) and of memory outside it. */
    heapTotalGrowthMiB: number;
    externalGrowthMiB: number;
    /** Highest RSS seen while the catalog processed the entities. */
    peakRssMiB: number;
  };
}

/** Waits until the backend's Upbound call counter has not moved for `quietMs`. */
async function callsSettled(
  backend: BenchBackend,
  quietMs = 3000,
  maxMs = 120_000,
) {
  const until = Date.now() + maxMs;
  let last = -1;
  let since = Date.now();
  while (Date.now() < until) {
    const { calls } = await backend.stats(false);
    if (calls !== last) {
      last = calls;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return calls;
    await sleep(500);
  }
  return last;
}

/**
 * The backend's start with the product's default config: the Upbound service's discovery, the claim
 * watches it starts and the scheduled full sync were held back until the baseline memory was read;
 * all start together at `go`, as they do when a backend starts.
 */
export async function firstSync(
  backend: BenchBackend,
  log: (l: string) => void,
  visibleTimeoutMs: number,
): Promise<FirstSync> {
  await sleep(2000);
  const base = await backend.stats();
  let firstDelta: number | undefined;
  backend.once('delta', (d: any) => {
    firstDelta = d.t;
  });
  const start = backend.next('sync-start', 60_000);
  const full = backend.next('full', visibleTimeoutMs);
  const accepted = backend.next('full-accepted', visibleTimeoutMs);
  const end = backend.next('sync-end', visibleTimeoutMs);
  const { t: t0 } = await backend.go();
  const s = await start;
  const f = await full;
  log(
    `first full sync: ${f.entities} entities handed to the catalog ${Math.round(
      f.t - t0,
    )} ms after start`,
  );
  let peakRss = base.rss;
  let visibleAt = 0;
  let count = 0;
  const deadline = Date.now() + visibleTimeoutMs;
  let lastLog = Date.now();
  while (Date.now() < deadline) {
    count = await backend.providerEntityCount();
    if (count >= f.entities) {
      visibleAt = now();
      break;
    }
    const { rss } = await backend.stats(false);
    peakRss = Math.max(peakRss, rss);
    if (Date.now() - lastLog > 15_000) {
      lastLog = Date.now();
      log(
        `  catalog-visible: ${count} of ${f.entities} after ${Math.round(
          (now() - t0) / 1000,
        )} s`,
      );
    }
    await sleep(250);
  }
  const a = await accepted;
  const e = await end;
  // A timeout still yields the figures: how far the catalog got, and at what rate.
  const timedOut = !visibleAt;
  if (timedOut) {
    visibleAt = now();
    log(
      `  the catalog returned ${count} of ${f.entities} entities within ${
        visibleTimeoutMs / 1000
      } s`,
    );
  }
  const cpuAtVisible = (await backend.stats(false)).cpuMs;
  const missing = await backend.missingRefs(f.refs);
  const settledCalls = await callsSettled(backend);
  const after = await backend.stats();
  const claims = await backend.providerEntityCount(
    'spec.type=crossplane-claim',
  );
  return {
    entities: f.entities,
    claims,
    ...(firstDelta !== undefined
      ? { firstDeltaMs: round(firstDelta - t0, 0) }
      : {}),
    providerMs: round(f.t - t0, 0),
    fullSyncReadMs: round(f.t - s.t, 0),
    acceptedMs: round(a.t - t0, 0),
    visibleMs: round(visibleAt - t0, 0),
    visibleCount: timedOut ? count : f.entities,
    ...(timedOut ? { timedOut } : {}),
    calls: settledCalls - base.calls,
    syncCalls: e.calls,
    missing: missing.length,
    cpu: {
      ms: round(cpuAtVisible - base.cpuMs, 0),
      share: round((cpuAtVisible - base.cpuMs) / (visibleAt - t0), 2),
    },
    memory: {
      baselineRssMiB: MiB(base.rss),
      baselineHeapMiB: MiB(base.heapUsed),
      afterRssMiB: MiB(after.rss),
      afterHeapMiB: MiB(after.heapUsed),
      rssGrowthMiB: MiB(after.rss - base.rss),
      heapGrowthMiB: MiB(after.heapUsed - base.heapUsed),
      heapTotalGrowthMiB: MiB(after.heapTotal - base.heapTotal),
      externalGrowthMiB: MiB(after.external - base.external),
      peakRssMiB: MiB(Math.max(peakRss, after.rss)),
    },
  };
}

export interface PairedRuns {
  /** Each pair: the floor read just before, then our full sync's read (start to full mutation). */
  pairs: Array<{
    floorMs: number;
    oursMs: number;
    syncMs: number;
    calls: number;
    /** Entities that differ from the previous full mutation (the catalog processes those again). */
    changed: number;
    ratio: number;
  }>;
  floor: { medianMs: number; calls: number; objects: number; bytes: number };
  ours: {
    medianMs: number;
    syncMedianMs: number;
    calls: number;
    entities: number;
  };
  ratio: { median: number; min: number; max: number };
}

/** One full sync triggered through the scheduler; resolves with its timings. */
export async function triggeredSync(
  backend: BenchBackend,
  timeoutMs = 300_000,
) {
  const start = backend.next('sync-start', timeoutMs);
  const full = backend.next('full', timeoutMs);
  const end = backend.next('sync-end', timeoutMs);
  await backend.trigger();
  const s = await start;
  const f = await full;
  const e = await end;
  if (e.error) throw new Error(`full sync failed: ${e.error}`);
  return {
    start: s.t as number,
    readMs: f.t - s.t,
    syncMs: e.t - s.t,
    calls: e.calls as number,
    entities: f.entities as number,
    changed: f.changed as number,
  };
}

/** `runs` pairs after one unmeasured pair; the ratio is the median of the pairs' ratios. */
export async function pairedRuns(
  backend: BenchBackend,
  concurrency: number,
  runs: number,
  log: (l: string) => void,
): Promise<PairedRuns> {
  const pairs: PairedRuns['pairs'] = [];
  let floor: FloorResult | undefined;
  let entities = 0;
  for (let i = 0; i <= runs; i++) {
    floor = await backend.floor(concurrency);
    const ours = await triggeredSync(backend);
    entities = ours.entities;
    const pair = {
      floorMs: round(floor.ms, 0),
      oursMs: round(ours.readMs, 0),
      syncMs: round(ours.syncMs, 0),
      calls: ours.calls,
      changed: ours.changed,
      ratio: round(ours.readMs / floor.ms, 2),
    };
    log(
      `pair ${i === 0 ? '(warm-up)' : i}: floor ${pair.floorMs} ms (${
        floor.calls
      } calls), ours ${pair.oursMs} ms read / ${pair.syncMs} ms sync (${
        pair.calls
      } calls, ${pair.changed} entities changed): ${pair.ratio}x`,
    );
    if (i > 0) pairs.push(pair);
  }
  const ratios = pairs.map(p => p.ratio);
  return {
    pairs,
    floor: {
      medianMs: round(median(pairs.map(p => p.floorMs)), 0),
      calls: floor!.calls,
      objects: floor!.objects,
      bytes: floor!.bytes,
    },
    ours: {
      medianMs: round(median(pairs.map(p => p.oursMs)), 0),
      syncMedianMs: round(median(pairs.map(p => p.syncMs)), 0),
      calls: median(pairs.map(p => p.calls)),
      entities,
    },
    ratio: {
      median: round(median(ratios), 2),
      min: Math.min(...ratios),
      max: Math.max(...ratios),
    },
  };
}
