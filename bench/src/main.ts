/**
 * The benchmark: starts the bench's local Space, measures the product (ingestion, freshness, graph) in
 * one child process and TeraSky's plugins in another, against the same data and API servers, and
 * prints a table and writes bench/out/results.json.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readOptions, REPO_ROOT } from './options';
import { table, verdicts } from './report';
import { seedBenchObjects, startBenchSpace, stopBenchSpace } from './space';
import { round } from './stats';

const log = (line: string) => process.stderr.write(`${line}\n`);
const TRANSFORM = require.resolve('@backstage/cli/config/nodeTransform.cjs');
const TERASKY_DIR = path.join(REPO_ROOT, 'bench/terasky-backend');

/** Runs a child node process with a JSON input file; resolves to its JSON output. */
function child(
  args: string[],
  input: unknown,
  name: string,
  cwd = REPO_ROOT,
): Promise<any> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${name}-`));
  const inFile = path.join(dir, 'in.json');
  const outFile = path.join(dir, 'out.json');
  fs.writeFileSync(inFile, JSON.stringify(input), { mode: 0o600 });
  return new Promise(resolve => {
    const p = spawn(
      process.execPath,
      ['--expose-gc', '--no-deprecation', ...args, inFile, outFile],
      { cwd, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    p.on('exit', code => {
      const out = fs.existsSync(outFile)
        ? JSON.parse(fs.readFileSync(outFile, 'utf8'))
        : {};
      fs.rmSync(dir, { recursive: true, force: true });
      if (code !== 0 && !Object.keys(out).length)
        out.error = `${name} exited with code ${code}`;
      resolve(out);
    });
  });
}

function teraskyInstalled(): string | undefined {
  for (const p of [
    '@terasky/backstage-plugin-kubernetes-ingestor',
    '@terasky/backstage-plugin-crossplane-resources-backend',
  ]) {
    if (
      !fs.existsSync(path.join(TERASKY_DIR, 'node_modules', p, 'package.json'))
    ) {
      return `${p} is not installed in bench/terasky-backend (scripts/bench.sh runs npm ci there; see its output)`;
    }
  }
  return undefined;
}

async function main() {
  const o = readOptions(process.argv.slice(2));
  const steps = o.only ?? ['ingestion', 'freshness', 'graph', 'terasky'];
  const startedAt = new Date();
  const result: any = {
    startedAt: startedAt.toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memGiB: round(os.totalmem() / 2 ** 30, 1),
      node: process.version,
      platform: `${os.type()} ${os.release()}`,
      loadAvg: os.loadavg().map(l => round(l, 1)),
    },
    params: {
      mcps: o.mcps,
      claims: o.claims,
      syncRuns: o.syncRuns,
      teraskySyncRuns: o.teraskySyncRuns,
      changes: o.changes,
      graphRequests: o.graphRequests,
      users: o.users,
      userRounds: o.userRounds,
      providerConcurrency: o.providerConcurrency ?? 'default',
      skipNotReady: o.skipNotReady,
    },
  };
  log(
    `>> local Space: ${o.mcps} control planes x ${o.claims} claims in ${o.stateDir}`,
  );
  const space = await startBenchSpace(o, line => log(`   ${line}`));
  result.space = {
    seedSeconds: round(space.seedSeconds, 0),
    objects: space.state.seed?.objects,
  };
  try {
    await seedBenchObjects(space);
    const input = {
      options: o,
      state: space.state,
      tokens: space.tokens,
      ca: space.ca,
    };

    const oursSteps = steps.filter(s =>
      ['ingestion', 'freshness', 'graph'].includes(s),
    );
    if (oursSteps.length) {
      log(`>> ours: ${oursSteps.join(', ')}`);
      const { floor, ...ours } = await child(
        ['--require', TRANSFORM, path.join(__dirname, 'ours.ts')],
        { ...input, only: oursSteps },
        'ours',
      );
      result.ours = ours;
      if (floor) result.floor = floor;
    }
    if (steps.includes('terasky') && o.terasky) {
      const missing = teraskyInstalled();
      if (missing) {
        result.terasky = { skipped: missing };
      } else {
        log(
          '>> TeraSky: kubernetes-ingestor and crossplane-resources-backend in a bench-only backend',
        );
        result.terasky = await child(
          [path.join(TERASKY_DIR, 'run.cjs')],
          { ...input, only: ['terasky-ingestion', 'terasky-graph'] },
          'terasky',
          TERASKY_DIR,
        );
      }
    } else if (steps.includes('terasky')) {
      result.terasky = { skipped: '--no-terasky' };
    }
  } finally {
    if (!o.keepSpace) await stopBenchSpace(o, () => {});
  }
  result.durationSeconds = round((Date.now() - startedAt.getTime()) / 1000, 0);
  result.verdicts = verdicts(result);
  fs.mkdirSync(o.outDir, { recursive: true });
  const file = path.join(o.outDir, 'results.json');
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    `\n${table(result)}\n\nresults: ${file} (${result.durationSeconds} s)\n`,
  );
}

main().catch(e => {
  log(`bench failed: ${e.stack ?? e}`);
  process.exitCode = 1;
});
