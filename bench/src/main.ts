/**
 * The benchmark (bench/README.md): starts the bench's local Space, measures the product in a real
 * backend process (catalog ingestion to the catalog API, the floor, freshness to the catalog API,
 * the graph route as the UI calls it, memory), TeraSky's plugins against the same data, and the
 * frontend bundle; writes bench/out/results.json, prints the table with targets and verdicts, and
 * with --check exits 1 when a target is missed.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BenchBackend, type DatabaseConfig } from './backend/BenchBackend';
import { bundle } from './phases/bundle';
import { freshness } from './phases/freshness';
import { graph } from './phases/graph';
import { firstSync, pairedRuns } from './phases/ingestion';
import { terasky } from './phases/terasky';
import { PROVIDER_DEFAULT_CONCURRENCY } from './floor';
import { mergeCurves } from './mergeCurves';
import { readOptions, REPO_ROOT, type BenchOptions } from './options';
import { startPostgres, type BenchPostgres } from './postgres';
import { renderResults } from './render';
import { missed, table, verdicts } from './report';
import {
  seedBenchObjects,
  spaceRss,
  startBenchSpace,
  stopBenchSpace,
  type SpaceSize,
} from './space';
import { round } from './stats';

const log = (line: string) => process.stderr.write(`${line}\n`);
const PG_PORT = 21410;
const RESULTS_DIR = path.join(REPO_ROOT, 'bench/results');
const RESULTS_MD = path.join(REPO_ROOT, 'bench/RESULTS.md');

function load() {
  return {
    at: new Date().toISOString(),
    uptime: execFileSync('uptime', { encoding: 'utf8' }).trim(),
    loadAvg: os.loadavg().map(l => round(l, 2)),
  };
}

const failureRecord = (e: unknown) => ({
  error: e instanceof Error ? e.message : String(e),
});

async function step<T>(
  name: string,
  fn: () => Promise<T>,
): Promise<T | { error: string }> {
  const t0 = Date.now();
  try {
    const value = await fn();
    log(`<< ${name} done in ${Math.round((Date.now() - t0) / 1000)} s`);
    return value;
  } catch (e) {
    log(`!! ${name} failed: ${e instanceof Error ? e.stack : e}`);
    return failureRecord(e);
  }
}

function database(
  pg: BenchPostgres | undefined,
  prefix: string,
): DatabaseConfig {
  return pg
    ? { client: 'pg', host: pg.host, port: pg.port, user: pg.user, prefix }
    : { client: 'sqlite' };
}

/** First sync to catalog-visible, memory, then paired runs against the floor; optionally freshness. */
async function measureSpace(
  o: BenchOptions,
  size: SpaceSize,
  pg: BenchPostgres | undefined,
  withFreshness: boolean,
  pairs: number,
) {
  const concurrency = o.providerConcurrency ?? PROVIDER_DEFAULT_CONCURRENCY;
  const out: Record<string, unknown> = {};
  const prefix = `bench_${size.mcps}x${size.claims}_${Date.now().toString(
    36,
  )}_`;
  const backend = await BenchBackend.start({
    state: space!.state,
    port: o.backendPort,
    database: database(pg, prefix),
    ...(o.providerConcurrency
      ? { providerConcurrency: o.providerConcurrency }
      : {}),
    verbose: o.verbose,
  });
  try {
    // Catalog processing of 100k entities takes minutes; allow a minute per 2,000 claims.
    const timeoutMs =
      Math.max(10, (size.mcps * size.claims) / 2000) * 60_000 + 120_000;
    out.first = await firstSync(backend, l => log(`   ${l}`), timeoutMs);
    // A failed pair must not discard the first sync's figures.
    out.pairs = await pairedRuns(backend, concurrency, pairs, l =>
      log(`   ${l}`),
    ).catch(e => {
      log(`   !! paired runs failed: ${e?.message ?? e}`);
      return failureRecord(e);
    });
    if (withFreshness)
      out.freshness = await step('freshness', () =>
        freshness(backend, space!.state, o.changes, l => log(`   ${l}`)),
      );
    const s = await backend.stats();
    out.logs = s.logs;
  } finally {
    await backend.stop();
  }
  return out;
}

let space: Awaited<ReturnType<typeof startBenchSpace>> | undefined;

async function withSpace<T>(
  o: BenchOptions,
  size: SpaceSize,
  fn: () => Promise<T>,
) {
  log(
    `>> local Space: ${size.mcps} control planes x ${size.claims} claims (${o.outDir})`,
  );
  if (o.spaceMemoryLimit) process.env.GOMEMLIMIT = o.spaceMemoryLimit;
  space = await startBenchSpace(o.outDir, size, o.basePort, l =>
    log(`   ${l}`),
  );
  try {
    await seedBenchObjects(space);
    return await fn();
  } finally {
    if (!o.keepSpace) await stopBenchSpace(space.stateDir);
  }
}

async function main() {
  const o = readOptions(process.argv.slice(2));
  if (o.render) {
    renderResults(path.resolve(o.render), RESULTS_MD);
    log(`wrote ${path.relative(REPO_ROOT, RESULTS_MD)} from ${o.render}`);
    return;
  }
  const startedAt = new Date();
  const result: any = {
    startedAt: startedAt.toISOString(),
    mode: o.mode,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memGiB: round(os.totalmem() / 2 ** 30, 1),
      node: process.version,
      platform: `${os.type()} ${os.release()}`,
      loadBefore: load(),
    },
    params: {
      size: o.size,
      pairs: o.pairs,
      changes: o.changes,
      graphRequests: o.graphRequests,
      users: o.users,
      userRounds: o.userRounds,
      database: o.postgres ? 'postgresql' : 'sqlite (in memory)',
      providerConcurrency: o.providerConcurrency ?? 'default (4)',
      spaceMemoryLimit: o.spaceMemoryLimit ?? 'none',
      steps: o.steps,
    },
  };
  const pg = o.postgres ? startPostgres(PG_PORT) : undefined;
  if (pg) result.params.database = `postgresql ${pg.version}`;
  try {
    if (o.mode === 'curves') {
      result.curves = [];
      for (const size of o.curves) {
        const point: any = {
          ...size,
          totalClaims: size.mcps * size.claims,
          startedAt: new Date().toISOString(),
          loadBefore: load(),
        };
        result.curves.push(point);
        const r = await step(`curve ${size.mcps}x${size.claims}`, () =>
          withSpace(o, size, async () => {
            point.space = {
              seeded: space!.seeded,
              startSeconds: round(space!.startSeconds, 0),
              objects: space!.objects,
              rssMiB: spaceRss(space!.state),
            };
            return measureSpace(o, size, pg, false, 3);
          }),
        );
        Object.assign(point, r);
        writeResults(o, result);
      }
    } else {
      const measured = o.steps.filter(s => s !== 'bundle');
      if (measured.length)
        await withSpace(o, o.size, async () => {
          result.space = {
            ...o.size,
            seeded: space!.seeded,
            startSeconds: round(space!.startSeconds, 0),
            objects: space!.objects,
            rssMiB: spaceRss(space!.state),
          };
          if (o.steps.includes('ingestion') || o.steps.includes('freshness')) {
            result.ingestion = await step('ingestion', () =>
              measureSpace(
                o,
                o.size,
                pg,
                o.steps.includes('freshness'),
                o.pairs,
              ),
            );
            writeResults(o, result);
          }
          if (o.steps.includes('graph')) {
            result.graph = await step('graph', () =>
              graph(
                space!.state,
                {
                  port: o.backendPort,
                  requests: o.graphRequests,
                  users: o.users,
                  userRounds: o.userRounds,
                  ...(pg
                    ? {
                        database: database(
                          pg,
                          `bench_graph_${Date.now().toString(36)}_`,
                        ),
                      }
                    : {}),
                },
                l => log(`   ${l}`),
              ),
            );
            writeResults(o, result);
          }
          if (o.steps.includes('terasky')) {
            result.terasky = await step('terasky', () =>
              terasky(o, space!.state, result, l => log(`   ${l}`)),
            );
            writeResults(o, result);
          }
        });
    }
    if (o.steps.includes('bundle') && o.mode !== 'curves')
      result.bundle = await step('bundle', () =>
        bundle(o, (l: string) => log(`   ${l}`)),
      );
  } finally {
    pg?.stop();
  }
  result.machine.loadAfter = load();
  result.durationSeconds = round((Date.now() - startedAt.getTime()) / 1000, 0);
  result.verdicts = verdicts(result);
  const file = writeResults(o, result);
  process.stdout.write(
    `\n${table(result)}\n\nresults: ${file} (${result.durationSeconds} s)\n`,
  );
  if (o.save) {
    // The committed copy RESULTS.md is rendered from.
    const saved = path.join(RESULTS_DIR, `${o.save}.json`);
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    if (o.merge && fs.existsSync(saved)) {
      const prev = JSON.parse(fs.readFileSync(saved, 'utf8'));
      const merged = mergeCurves(prev, result);
      fs.writeFileSync(saved, `${JSON.stringify(merged, null, 2)}\n`);
    } else fs.copyFileSync(file, saved);
    renderResults(RESULTS_DIR, RESULTS_MD);
    process.stdout.write(
      `saved ${path.relative(REPO_ROOT, saved)}; rendered ${path.relative(
        REPO_ROOT,
        RESULTS_MD,
      )}\n`,
    );
  }
  const misses = missed(result);
  if (misses.length) {
    process.stdout.write(`\nmissed: ${misses.join('; ')}\n`);
    if (o.check) process.exitCode = 1;
  }
}

function writeResults(o: BenchOptions, result: unknown): string {
  fs.mkdirSync(o.outDir, { recursive: true });
  const file = path.join(o.outDir, 'results.json');
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

main().catch(e => {
  log(`bench failed: ${e?.stack ?? e}`);
  process.exitCode = 1;
});
