/** The printed table: each measurement, its target and whether it was met. */
import { round } from './stats';

type Row = [string, string, string, string];

const ok = (met: boolean | undefined) =>
  met === undefined ? '' : met ? 'met' : 'MISSED';

function fmtMs(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return 'n/a';
  return ms >= 10_000
    ? `${round(ms / 1000, 1)} s`
    : `${round(ms, ms < 10 ? 2 : 0)} ms`;
}

export function verdicts(r: any) {
  const ing = r.ours?.ingestion;
  const fl = r.floor;
  const fr = r.ours?.freshness;
  const g = r.ours?.graph;
  const tg = r.terasky?.graph;
  const ratio =
    ing?.ratioToFloor ??
    (ing?.medianMs && fl?.medianMs ? ing.medianMs / fl.medianMs : undefined);
  const claims = r.params.mcps * r.params.claims;
  return {
    ingestionTimeScaled:
      ing?.medianMs !== undefined
        ? (ing.medianMs * 10_000) / Math.max(1, claims)
        : undefined,
    ingestionMs: ing?.medianMs !== undefined ? ing.medianMs <= 5000 : undefined,
    ingestionFloorRatio: ratio,
    ingestionFloor: ratio !== undefined ? ratio <= 1.3 : undefined,
    freshness: fr?.p95Ms !== undefined ? fr.p95Ms <= 3000 : undefined,
    graphWarm: g?.warm ? g.warm.p95Ms <= 100 : undefined,
    graphCold: g?.cold ? g.cold.p95Ms <= 300 : undefined,
    graphVsTerasky:
      tg?.p50Ms && g?.cold?.p50Ms ? tg.p50Ms / g.cold.p50Ms : undefined,
  };
}

export function table(r: any): string {
  const v = verdicts(r);
  const ing = r.ours?.ingestion ?? {};
  const fl = r.floor ?? {};
  const fr = r.ours?.freshness ?? {};
  const g = r.ours?.graph ?? {};
  const t = r.terasky ?? {};
  const claims = r.params.mcps * r.params.claims;
  const rows: Row[] = [['measurement', 'value', 'target', 'verdict']];
  if (r.ours?.ingestion)
    rows.push(
      [
        `full ingestion, ${r.params.mcps} MCPs x ${r.params.claims} claims (median of ${r.params.syncRuns})`,
        ing.error ?? fmtMs(ing.medianMs),
        claims >= 10_000 ? '<= 5 s' : '<= 5 s at 10,000',
        ok(v.ingestionMs),
      ],
      [
        '  entities emitted / API calls per sync',
        ing.error ? '' : `${ing.entities} / ${ing.callsPerSync}`,
        '',
        '',
      ],
      [
        '  first sync (with discovery)',
        ing.error
          ? ''
          : `${fmtMs(ing.firstSyncMs)} / ${ing.firstSyncCalls} calls`,
        '',
        '',
      ],
      [
        '  backend RSS before / after',
        ing.error ? '' : `${ing.rssBeforeMiB} / ${ing.rssAfterMiB} MiB`,
        '',
        '',
      ],
      [
        '  raw client-node LIST floor, just before each sync (median)',
        fl.error ??
          `${fmtMs(fl.medianMs)} (${fl.calls} calls, ${fl.objects} objects)`,
        '',
        '',
      ],
      [
        '  ours / floor (median of paired runs)',
        v.ingestionFloorRatio !== undefined
          ? `${round(v.ingestionFloorRatio, 2)}x`
          : 'n/a',
        '<= 1.3x',
        ok(v.ingestionFloor),
      ],
    );
  if (r.ours?.freshness)
    rows.push([
      `freshness, ${
        fr.changes ?? r.params.changes
      } changes via watch: median / p95`,
      fr.error ?? `${fmtMs(fr.medianMs)} / ${fmtMs(fr.p95Ms)}`,
      'p95 <= 3 s',
      ok(v.freshness),
    ]);
  if (r.ours?.graph)
    rows.push(
      [
        'graph, 50 MRs / 5 kinds / nested XR: nodes',
        g.error ?? String(g.nodes),
        '',
        '',
      ],
      [
        '  first request after start',
        g.error
          ? ''
          : `${fmtMs(g.firstRequestMs)} / ${g.firstRequestCalls} calls`,
        '',
        '',
      ],
      [
        '  cold (no graph cache) p50 / p95',
        g.error ? '' : `${fmtMs(g.cold?.p50Ms)} / ${fmtMs(g.cold?.p95Ms)}`,
        'p95 <= 300 ms',
        ok(v.graphCold),
      ],
      [
        '  warm (cache) p50 / p95',
        g.error ? '' : `${fmtMs(g.warm?.p50Ms)} / ${fmtMs(g.warm?.p95Ms)}`,
        'p95 <= 100 ms',
        ok(v.graphWarm),
      ],
      [
        '  API calls per graph build',
        g.error ? '' : String(g.callsPerRequest),
        'bounded by kinds',
        g.callsPerRequest !== undefined ? ok(g.callsPerRequest <= 12) : '',
      ],
      [
        `  ${
          g.concurrent?.users ?? r.params.users
        } concurrent users, no cache: p50 / p95, calls per round`,
        g.error
          ? ''
          : `${fmtMs(g.concurrent?.p50Ms)} / ${fmtMs(g.concurrent?.p95Ms)}, ${
              g.concurrent?.callsPerRound
            }`,
        'coalesced',
        g.concurrent
          ? ok(g.concurrent.callsPerRound <= (g.callsPerRequest ?? 0) * 2)
          : '',
      ],
    );
  if (t.skipped || t.error) {
    rows.push([
      'TeraSky side by side',
      `not run: ${t.skipped ?? t.error}`,
      '',
      '',
    ]);
  } else if (t.ingestion || t.graph) {
    const ti = t.ingestion ?? {};
    const tg = t.graph ?? {};
    rows.push(
      [
        'TeraSky ingestor: first full sync',
        ti.error ??
          `${fmtMs(ti.firstSyncMs)}, ${ti.entities} entities, ${
            ti.firstSyncCalls
          } calls${
            ti.firstSyncFailedClusters
              ? `, ${ti.firstSyncFailedClusters} cluster syncs failed`
              : ''
          }`,
        '',
        '',
      ],
      ...(ti.medianMs !== undefined
        ? [
            [
              '  TeraSky later syncs (median)',
              `${fmtMs(ti.medianMs)}, ${ti.callsPerSync} calls`,
              '',
              '',
            ] as Row,
          ]
        : []),
      [
        '  TeraSky RSS before / after',
        ti.error ? '' : `${ti.rssBeforeMiB} / ${ti.rssAfterMiB} MiB`,
        '',
        '',
      ],
      [
        '  TeraSky / ours (first full sync)',
        ti.firstSyncMs && ing.firstSyncMs
          ? `${round(ti.firstSyncMs / ing.firstSyncMs, 1)}x`
          : 'n/a',
        '',
        '',
      ],
      [
        'TeraSky crossplane graph: p50 / p95',
        tg.error ??
          `${fmtMs(tg.p50Ms)} / ${fmtMs(tg.p95Ms)} (${tg.nodes} objects, ${
            tg.callsPerRequest
          } calls)`,
        '',
        '',
      ],
      [
        `  TeraSky ${tg.concurrent?.users ?? ''} concurrent users p50 / p95`,
        tg.error
          ? ''
          : `${fmtMs(tg.concurrent?.p50Ms)} / ${fmtMs(tg.concurrent?.p95Ms)}, ${
              tg.concurrent?.callsPerRound
            } calls per round`,
        '',
        '',
      ],
      [
        '  TeraSky / ours (graph p50, ours cold)',
        v.graphVsTerasky !== undefined
          ? `${round(v.graphVsTerasky, 1)}x`
          : 'n/a',
        '>= 10x',
        v.graphVsTerasky !== undefined ? ok(v.graphVsTerasky >= 10) : '',
      ],
    );
  }
  const widths = [0, 1, 2, 3].map(i =>
    Math.max(...rows.map(row => row[i].length)),
  );
  const line = (row: Row) =>
    row
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [
    line(rows[0]),
    widths.map(w => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
  ].join('\n');
}
