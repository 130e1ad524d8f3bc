/**
 * TeraSky side by side: bench/terasky-backend/run.cjs (its own npm tree, installed by
 * scripts/bench.sh) against the same Space, data and ingress, in its own process.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LocalSpaceState } from '@internal/local-space';
import { REPO_ROOT, type BenchOptions } from '../options';

const TERASKY_DIR = path.join(REPO_ROOT, 'bench/terasky-backend');
const PACKAGES = [
  '@terasky/backstage-plugin-kubernetes-ingestor',
  '@terasky/backstage-plugin-crossplane-resources-backend',
];

function notInstalled(): string | undefined {
  for (const p of PACKAGES) {
    if (
      !fs.existsSync(path.join(TERASKY_DIR, 'node_modules', p, 'package.json'))
    )
      return `${p} is not installed in bench/terasky-backend (scripts/bench.sh runs npm ci there; see its output)`;
  }
  return undefined;
}

export async function terasky(
  o: BenchOptions,
  state: LocalSpaceState,
  ours: any,
  log: (l: string) => void,
): Promise<any> {
  const missing = notInstalled();
  if (missing) return { skipped: missing };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-terasky-'));
  const inFile = path.join(dir, 'in.json');
  const outFile = path.join(dir, 'out.json');
  fs.writeFileSync(
    inFile,
    JSON.stringify({
      options: {
        backendPort: o.backendPort,
        graphRequests: o.graphRequests,
        users: o.users,
        userRounds: o.userRounds,
        syncRuns: Math.min(o.pairs, 2),
        maxSockets: o.teraskyMaxSockets,
        verbose: o.verbose,
      },
      state,
      tokens: JSON.parse(fs.readFileSync(state.tokensFile, 'utf8')),
      ca: fs.readFileSync(state.caFile, 'utf8'),
      // Entities our provider emitted for the same Space, to compare what TeraSky emits.
      oursEntities: ours.ingestion?.first?.entities,
    }),
    { mode: 0o600 },
  );
  try {
    const code = await new Promise<number | null>(resolve => {
      const p = spawn(
        process.execPath,
        [
          '--expose-gc',
          '--no-deprecation',
          path.join(TERASKY_DIR, 'run.cjs'),
          inFile,
          outFile,
        ],
        { cwd: TERASKY_DIR, stdio: ['ignore', 'inherit', 'inherit'] },
      );
      p.on('exit', resolve);
    });
    const out = fs.existsSync(outFile)
      ? JSON.parse(fs.readFileSync(outFile, 'utf8'))
      : {};
    if (code !== 0 && !Object.keys(out).length)
      out.error = `run.cjs exited with code ${code}`;
    log(`TeraSky: ${out.error ?? 'done'}`);
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
