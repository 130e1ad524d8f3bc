/**
 * Targets, verdicts and the printed table, all from results.json (the renderer of RESULTS.md uses
 * the same rows). A target measured at another size than it is stated for is scaled linearly and
 * says so; a measurement that failed is a miss.
 */
import { round } from './stats';

export type Verdict = 'met' | 'MISSED' | '';
export interface Row {
  measurement: string;
  value: string;
  target: string;
  verdict: Verdict;
}

const TEN_K = 10_000;
const ok = (met: boolean | undefined): Verdict =>
  met === undefined ? '' : met ? 'met' : 'MISSED';

export function fmtMs(ms: number | undefined): string {
  if (ms === undefined || ms === null || Number.isNaN(ms)) return 'n/a';
  if (ms >= 10_000) return `${round(ms / 1000, 1)} s`;
  if (ms >= 1000) return `${round(ms / 1000, 2)} s`;
  return `${round(ms, ms < 10 ? 1 : 0)} ms`;
}
const n = (x: number | undefined) =>
  x === undefined ? 'n/a' : x.toLocaleString('en-US');
/** A failure in one table cell: the line that says what failed (start logs are in results.json). */
const failureLine = (x: any): string | undefined => {
  const e: unknown = x && typeof x === 'object' ? x.error : undefined;
  if (typeof e !== 'string') return undefined;
  const lines = e.split('\n').filter(l => l.trim());
  const line =
    lines.find(l => /^(local-space:|!!)/.test(l)) ?? lines[0] ?? 'failed';
  return line.replace(/^(local-space:|!!)\s*/, '').replace(/\|/g, '\\|');
};

/** Claims of the run's Space. */
const claimsOf = (r: any) =>
  r.params?.size ? r.params.size.mcps * r.params.size.claims : 0;

/** `base` (stated for 10,000 claims) at this run's size, and how the target reads. */
function scaled(r: any, base: number, unit: (x: number) => string) {
  const claims = claimsOf(r);
  if (!claims || claims === TEN_K)
    return { limit: base, label: `<= ${unit(base)}` };
  const limit = (base * claims) / TEN_K;
  return {
    limit,
    label: `<= ${unit(limit)} (${unit(base)} per 10,000 claims)`,
  };
}

/** Every measurement with its target and verdict. */
export function rows(r: any): Row[] {
  const out: Row[] = [];
  const add = (
    measurement: string,
    value: string,
    target = '',
    verdict: Verdict = '',
  ) => out.push({ measurement, value, target, verdict });
  const claims = claimsOf(r);
  const ing = r.ingestion;
  const first = ing?.first;
  const pairs = ing?.pairs;
  if (ing) {
    if (failureLine(ing))
      add(
        'ingestion into the catalog',
        `failed: ${failureLine(ing)}`,
        '',
        'MISSED',
      );
    else {
      add(
        `first start, ${n(
          claims,
        )} claims: to the full mutation (discovery, read, mapping)`,
        `${fmtMs(first.providerMs)} (${n(first.entities)} entities, ${n(
          first.claims,
        )} claims)`,
      );
      add('  to the catalog taking the full mutation', fmtMs(first.acceptedMs));
      const goal = scaled(r, 6000, x => fmtMs(x));
      add(
        '  to every entity readable through the catalog API (catalog-visible)',
        `${visibleTime(first)} (${visibleRate(first)} entities/s); ${
          first.missing
        } of ${n(first.entities)} missing at the end`,
        `${goal.label}, from the goal 100k in 60 s`,
        ok(
          !first.timedOut &&
            first.visibleMs <= goal.limit &&
            first.missing === 0,
        ),
      );
      add(
        '  API calls until they settle (discovery, watch lists, full sync)',
        `${first.calls} (full sync ${first.syncCalls})`,
      );
      add(
        '  backend CPU from start to catalog-visible',
        `${round(first.cpu.ms / 1000, 1)} s (${Math.round(
          first.cpu.share * 100,
        )}% of one core)`,
      );
      const memTarget = claims >= TEN_K;
      add(
        `backend RSS growth, ${n(claims)} claims (baseline ${
          first.memory.baselineRssMiB
        } MiB)`,
        `${first.memory.rssGrowthMiB} MiB (live heap ${
          first.memory.heapGrowthMiB
        } MiB${
          first.memory.heapTotalGrowthMiB !== undefined
            ? `, reserved heap ${first.memory.heapTotalGrowthMiB} MiB, external ${first.memory.externalGrowthMiB} MiB`
            : ''
        }; peak RSS ${first.memory.peakRssMiB} MiB)`,
        memTarget
          ? '<= 150 MB at 10,000 claims'
          : '<= 150 MB at 10,000 claims (not judged at this size)',
        memTarget ? ok(first.memory.rssGrowthMiB * 1.048576 <= 150) : '',
      );
      const t = scaled(r, 5000, x => fmtMs(x));
      add(
        `full sync, read to the full mutation (median of ${pairs.pairs.length})`,
        `${fmtMs(pairs.ours.medianMs)} (${
          pairs.ours.calls
        } calls; whole sync ${fmtMs(pairs.ours.syncMedianMs)})`,
        t.label,
        ok(pairs.ours.medianMs <= t.limit),
      );
      add(
        '  keep-alive HTTPS + JSON.parse floor, same LISTs and concurrency (median)',
        `${fmtMs(pairs.floor.medianMs)} (${pairs.floor.calls} calls, ${n(
          pairs.floor.objects,
        )} objects, ${round(pairs.floor.bytes / 2 ** 20, 1)} MiB)`,
      );
      add(
        `  ours / floor, median of ${pairs.pairs.length} pairs (spread)`,
        `${pairs.ratio.median}x (${pairs.ratio.min}x to ${pairs.ratio.max}x)`,
        '<= 1.3x',
        ok(pairs.ratio.median <= 1.3),
      );
    }
    const fr = ing.freshness;
    if (fr) {
      if (failureLine(fr))
        add('freshness', `failed: ${failureLine(fr)}`, 'p95 <= 3 s', 'MISSED');
      else {
        for (const [label, s] of [
          ['idle', fr.idle],
          ['while full syncs run', fr.duringSync],
          ['idle again, after the syncs', fr.idleAfter],
        ] as const) {
          if (!s) continue;
          add(
            `freshness ${label}: write to catalog API, p50 / p95 / max (${s.visible.n} changes)`,
            `${fmtMs(s.visible.p50Ms)} / ${fmtMs(s.visible.p95Ms)} / ${fmtMs(
              s.visible.maxMs,
            )}`,
            'p95 <= 3 s',
            ok(s.visible.p95Ms <= 3000 && s.visible.n >= 3),
          );
          add(
            '  of which write to the provider delta, p50 / p95',
            `${fmtMs(s.delta.p50Ms)} / ${fmtMs(s.delta.p95Ms)}`,
          );
        }
      }
    }
  }
  const g = r.graph;
  if (g) {
    if (failureLine(g)) add('graph', `failed: ${failureLine(g)}`, '', 'MISSED');
    else {
      add(
        'graph through the entity route, permissions on: nodes / edges',
        `${g.nodes} / ${g.edges} (claim, XR, nested XR, 50 managed resources of 5 kinds)`,
        '53 nodes, none missing',
        ok(g.nodes === 53),
      );
      add(
        '  first request after start (no cache, no discovery yet)',
        `${fmtMs(g.first.ms)}, ${g.first.calls} API calls`,
      );
      add(
        `  uncached rebuild, p50 / p95 (${g.uncached.n} requests)`,
        `${fmtMs(g.uncached.p50Ms)} / ${fmtMs(g.uncached.p95Ms)}`,
        'p95 <= 300 ms',
        ok(g.uncached.p95Ms <= 300),
      );
      add(
        `  cached (product default ${
          g.cached.ttlMs / 1000
        } s TTL), p50 / p95 (${g.cached.n} requests)`,
        `${fmtMs(g.cached.p50Ms)} / ${fmtMs(g.cached.p95Ms)}; ${
          g.cached.builds
        } builds in the series`,
        'p95 <= 100 ms',
        ok(g.cached.p95Ms <= 100),
      );
      add(
        '  of a request: catalog lookup as the user / one permission check, p50 / p95',
        `${fmtMs(g.parts.catalogLookup.p50Ms)} / ${fmtMs(
          g.parts.catalogLookup.p95Ms,
        )}; ${fmtMs(g.parts.permissionCheck.p50Ms)} / ${fmtMs(
          g.parts.permissionCheck.p95Ms,
        )}`,
      );
      add(
        '  API calls per uncached build',
        String(g.uncached.calls),
        'bounded by kinds (<= 12)',
        ok(g.uncached.calls <= 12),
      );
      const d = g.uncached.decisions ?? {};
      add(
        '  permission decisions per request',
        Object.entries(d)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || 'none',
        'catalog.entity.read and upbound.claim.read',
        ok(d['catalog.entity.read'] >= 1 && d['upbound.claim.read'] >= 1),
      );
      add(
        `  ${g.concurrent.users} concurrent users, no cache: p50 / p95, calls per round`,
        `${fmtMs(g.concurrent.p50Ms)} / ${fmtMs(g.concurrent.p95Ms)}, ${
          g.concurrent.callsPerRound
        }`,
        'coalesced (<= 2 builds per round)',
        ok(g.concurrent.callsPerRound <= 2 * g.uncached.calls),
      );
    }
  }
  const t = r.terasky;
  if (t) {
    if (t.skipped || failureLine(t))
      add(
        'TeraSky side by side',
        `not run: ${t.skipped ?? failureLine(t)}`,
        '',
        failureLine(t) ? 'MISSED' : '',
      );
    else {
      const ti = t.ingestion ?? {};
      if (failureLine(ti))
        add('TeraSky ingestion', `failed: ${failureLine(ti)}`, '', 'MISSED');
      else {
        add(
          'TeraSky ingestor, first sync (to its last delta mutation)',
          `${fmtMs(ti.firstSyncMs)}, ${n(ti.firstSyncCalls)} calls, ${n(
            ti.entities,
          )} entities, ${n(ti.claims)} claims (ours: ${n(first?.claims)}), ${
            ti.firstSyncFailedClusters
          } cluster syncs failed${
            t.setup?.maxSockets
              ? ` (its outgoing HTTP connections bounded to ${t.setup.maxSockets})`
              : ''
          }`,
          `reads every generated claim (${n(claims)}), no failed sync`,
          ok(ti.claims >= claims && ti.firstSyncFailedClusters === 0),
        );
        if (ti.firstSyncFailedClusters) {
          const tcp = ti.tcpCountersFirstSync ?? {};
          add(
            '  its failed cluster syncs: first error; the ingress answers; TCP counters during the sync',
            `${ti.syncErrors?.[0] ?? 'n/a'}; ingress ${JSON.stringify(
              ti.ingressStatuses ?? {},
            )}; listen overflows ${
              tcp.ListenOverflows ?? 'n/a'
            }, SYN cookies sent ${
              tcp.SyncookiesSent ?? 'n/a'
            }, connections reset ${tcp.EstabResets ?? 'n/a'}`,
          );
        }
        if (ti.later)
          add(
            `  later syncs, p50 / p95 (${ti.later.n})`,
            `${fmtMs(ti.later.p50Ms)} / ${fmtMs(ti.later.p95Ms)}, ${n(
              ti.later.calls,
            )} calls each`,
          );
        if (first && pairs)
          add(
            '  TeraSky / ours: first start / later syncs (p50)',
            `${round(ti.firstSyncMs / first.providerMs, 1)}x / ${
              ti.later
                ? `${round(ti.later.p50Ms / pairs.ours.medianMs, 1)}x`
                : 'n/a'
            }`,
          );
        if (ti.freshness)
          add(
            `  TeraSky freshness (its ${ti.freshness.periodS} s period), p50 / p95`,
            `${fmtMs(ti.freshness.p50Ms)} / ${fmtMs(
              ti.freshness.p95Ms,
            )} (from the period and its sync times)`,
          );
        add(
          '  TeraSky RSS before / after',
          `${ti.rssBeforeMiB} / ${ti.rssAfterMiB} MiB`,
        );
      }
      const tg = t.graph ?? {};
      if (failureLine(tg))
        add('TeraSky graph', `failed: ${failureLine(tg)}`, '', 'MISSED');
      else if (tg.p50Ms !== undefined) {
        add(
          `TeraSky crossplane graph, p50 / p95 (${tg.requests} requests)`,
          `${fmtMs(tg.p50Ms)} / ${fmtMs(tg.p95Ms)} (${tg.nodes} objects, ${
            tg.callsPerRequest
          } calls)`,
        );
        add(
          `  TeraSky ${tg.concurrent.users} concurrent users, p50 / p95`,
          `${fmtMs(tg.concurrent.p50Ms)} / ${fmtMs(tg.concurrent.p95Ms)}, ${
            tg.concurrent.callsPerRound
          } calls per round`,
        );
        if (g && !failureLine(g)) {
          const p50 = tg.p50Ms / g.uncached.p50Ms;
          const p95 = tg.p95Ms / g.uncached.p95Ms;
          add(
            '  TeraSky / ours (uncached), graph p50 / p95',
            `${round(p50, 1)}x / ${round(p95, 1)}x`,
            '>= 10x',
            ok(p50 >= 10 && p95 >= 10),
          );
        }
      }
    }
  }
  const b = r.bundle;
  if (b) {
    if (b.skipped || failureLine(b))
      add(
        'frontend bundle',
        `not measured: ${b.skipped ?? failureLine(b)}`,
        '',
        failureLine(b) ? 'MISSED' : '',
      );
    else {
      // The largest packages, and always the graph's (React Flow, dagre, d3) wherever they are.
      const pkgs = (x: Record<string, number> = {}) =>
        Object.entries(x)
          .filter(([k], i) => i < 6 || /^@xyflow\/|dagre|^d3-/.test(k))
          .map(([k, v]) => `${k} ${v}`)
          .join(', ');
      add(
        'frontend plugin in the production app build: its own chunks, gzip',
        `${b.plugin.gzipKiB} KiB in ${
          b.plugin.chunks
        } lazy chunks + its code in the initial files (${
          b.plugin.rawKiB
        } KiB minified); app total ${round(b.app.gzipKiB / 1024, 2)} MiB`,
      );
      add('  of which (KiB gzip)', pkgs(b.plugin.byPackageGzipKiB));
      if (b.shared) {
        add(
          '  chunks it loads that other plugins load too, gzip',
          `${b.shared.gzipKiB} KiB in ${b.shared.chunks} chunks`,
        );
        add('  of which (KiB gzip)', pkgs(b.shared.byPackageGzipKiB));
      }
    }
  }
  return out;
}

/** Goal rows of the curves: 100k claims on 40 control planes in <= 60 s and <= 1 GiB. */
export function curveRows(r: any): Row[] {
  const out: Row[] = [];
  for (const p of r.curves ?? []) {
    const label = `${p.mcps} x ${p.claims} = ${n(p.totalClaims)} claims`;
    if (failureLine(p) || !p.first) {
      out.push({
        measurement: label,
        value: `not measured: ${failureLine(p) ?? 'no result'}`,
        target: '',
        verdict: '',
      });
      continue;
    }
    if (p.totalClaims === 100_000 && p.mcps === 40) {
      out.push({
        measurement: `goal: ${label}, catalog-visible`,
        value: visibleTime(p.first),
        target: '<= 60 s',
        verdict: ok(!p.first.timedOut && p.first.visibleMs <= 60_000),
      });
      out.push({
        measurement: `goal: ${label}, backend RSS after ingestion`,
        value: `${p.first.memory.afterRssMiB} MiB (peak ${p.first.memory.peakRssMiB} MiB)`,
        target: '<= 1 GiB',
        verdict: ok(p.first.memory.peakRssMiB <= 1024),
      });
    }
  }
  return out;
}

export function verdicts(r: any) {
  const all = [...rows(r), ...curveRows(r)].filter(x => x.verdict);
  return {
    met: all.filter(x => x.verdict === 'met').length,
    missed: all
      .filter(x => x.verdict === 'MISSED')
      .map(x => x.measurement.trim()),
  };
}

export function missed(r: any): string[] {
  return verdicts(r).missed;
}

/** The curve points as rows of numbers. */
/** Catalog-visible time; a lower bound, with how far the catalog got, when the wait timed out. */
function visibleTime(first: any): string {
  return first.timedOut
    ? `> ${fmtMs(first.visibleMs)} (timed out: ${n(first.visibleCount)} of ${n(
        first.entities,
      )} visible)`
    : fmtMs(first.visibleMs);
}

/** Entities per second the catalog made visible (results from before visibleCount: all of them). */
function visibleRate(first: any): number {
  return Math.round(
    (first.visibleCount ?? first.entities) / (first.visibleMs / 1000),
  );
}

export function curveTable(r: any): string[][] {
  const head = [
    'control planes x claims',
    'claims',
    'to full mutation',
    'catalog-visible',
    'entities/s',
    'backend CPU (of one core)',
    'full sync read (median)',
    'API calls (start / sync)',
    'backend RSS growth / peak',
    'heap growth',
    'Space RSS',
  ];
  const body = (r.curves ?? []).map((p: any) =>
    p.first
      ? [
          `${p.mcps} x ${p.claims}`,
          n(p.totalClaims),
          fmtMs(p.first.providerMs),
          visibleTime(p.first),
          String(visibleRate(p.first)),
          `${Math.round(p.first.cpu.share * 100)}%`,
          fmtMs(p.pairs?.ours?.medianMs),
          `${p.first.calls} / ${p.pairs?.ours?.calls ?? 'n/a'}`,
          `${p.first.memory.rssGrowthMiB} / ${p.first.memory.peakRssMiB} MiB`,
          `${p.first.memory.heapGrowthMiB} MiB`,
          p.space?.rssMiB
            ? `${round(p.space.rssMiB.total / 1024, 1)} GiB`
            : 'n/a',
        ]
      : [
          `${p.mcps} x ${p.claims}`,
          n(p.totalClaims),
          `not measured: ${failureLine(p) ?? 'no result'}`,
          ...Array.from({ length: 8 }, () => ''),
        ],
  );
  return [head, ...body];
}

function textTable(table: string[][]): string {
  const widths = table[0].map((_, i) =>
    Math.max(...table.map(row => row[i].length)),
  );
  const line = (row: string[]) =>
    row
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [
    line(table[0]),
    widths.map(w => '-'.repeat(w)).join('  '),
    ...table.slice(1).map(line),
  ].join('\n');
}

export function table(r: any): string {
  const main = rows(r).map(x => [x.measurement, x.value, x.target, x.verdict]);
  const parts: string[] = [];
  const load = `load average ${r.machine.loadBefore.loadAvg.join(
    ', ',
  )} before, ${r.machine.loadAfter?.loadAvg?.join(', ') ?? 'n/a'} after`;
  if (main.length)
    parts.push(
      textTable([['measurement', 'value', 'target', 'verdict'], ...main]),
    );
  if (r.curves) {
    parts.push(textTable(curveTable(r)));
    const goal = curveRows(r).map(x => [
      x.measurement,
      x.value,
      x.target,
      x.verdict,
    ]);
    if (goal.length)
      parts.push(textTable([['goal', 'value', 'target', 'verdict'], ...goal]));
  }
  parts.push(load);
  return parts.join('\n\n');
}
