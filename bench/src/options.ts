/** Command-line options of the bench; every size is a parameter. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { SpaceSize } from './space';

export const STEPS = [
  'ingestion',
  'freshness',
  'graph',
  'bundle',
  'terasky',
] as const;
export type Step = (typeof STEPS)[number];

export interface BenchOptions {
  mode: 'default' | 'quick' | 'curves';
  /** The Space of the main measurements. */
  size: SpaceSize;
  /** Sizes of the curves (--curves). */
  curves: SpaceSize[];
  /** Measured paired runs (ours and the floor) after one unmeasured pair. */
  pairs: number;
  /** Changes per freshness series. */
  changes: number;
  /** Graph requests per series. */
  graphRequests: number;
  users: number;
  userRounds: number;
  basePort: number;
  backendPort: number;
  /** Where the Spaces live (one state dir per size) and results.json goes. */
  outDir: string;
  postgres: boolean;
  check: boolean;
  /** Copy results.json to bench/results/<save>.json and render RESULTS.md (latest, curves, or --save-as). */
  save?: string;
  /** With --curves --save: merge this run's points into the saved curves.json instead of replacing it. */
  merge: boolean;
  keepSpace: boolean;
  steps: Step[];
  /** catalog.providers.upbound.concurrency for the run; the product default when unset. */
  providerConcurrency?: number;
  /** Rebuild the app for the bundle step even when packages/app/dist is newer than the sources. */
  buildApp: boolean;
  /** Bound on TeraSky's backend's outgoing HTTP connections (its default agent); 0 = unbounded. */
  teraskyMaxSockets: number;
  /** GOMEMLIMIT of the Space's Go processes (kube-apiserver, etcd), e.g. 400MiB; unset: Go's default. */
  spaceMemoryLimit?: string;
  verbose: boolean;
}

export const REPO_ROOT = path.resolve(__dirname, '../..');

/** Claims curve: 20 control planes; control plane curve: 10,000 claims. The goal: 100k on 40. */
export const CURVE_SIZES: SpaceSize[] = [
  { mcps: 20, claims: 50 },
  { mcps: 20, claims: 500 },
  { mcps: 20, claims: 2500 },
  { mcps: 5, claims: 2000 },
  { mcps: 40, claims: 250 },
  { mcps: 40, claims: 2500 },
];

const USAGE = `usage: scripts/bench.sh [options]   (or make bench)

Modes
  (default)           20 control planes x 500 claims (10,000 claims): every measurement, TeraSky side by side
  --quick             4 x 250 (1,000 claims), fewer samples: a few minutes once the Space is seeded
  --curves            ingestion and memory for each curve size (${CURVE_SIZES.map(
    s => `${s.mcps}x${s.claims}`,
  ).join(', ')}),
                      or the sizes of --curve-sizes; seeding a new size takes minutes to tens of minutes
  --check             exit 1 when a target is missed (with any mode)
  --save              also copy results.json to bench/results/ (latest.json, or curves.json with --curves)
                      and render bench/RESULTS.md from the files there
  --merge             with --curves --save: measure some sizes again (or for the first time) and merge
                      them into the saved curves.json; each point and run keeps its own load
  --save-as NAME      the same as bench/results/NAME.json (a run beside the main one, e.g. postgres)
  --render [DIR]      only render bench/RESULTS.md from DIR/latest.json and DIR/curves.json (default bench/results)

Sizes and samples
  --mcps N --claims M   the Space of the main run (claims per control plane)
  --curve-sizes LIST    e.g. 20x50,20x500 for --curves
  --pairs K           measured ingestion/floor pairs (default 5, quick 5)
  --changes C         changes per freshness series (default 102, quick 30)
  --graph-requests R  graph requests per series (default 50, quick 20)
  --users U --user-rounds R  concurrent graph users (default 20 x 10, quick 10 x 3)

Environment
  --postgres          the catalog on PostgreSQL (Debian's, started by the bench) instead of in-memory SQLite
  --only LIST         comma list of ${STEPS.join(',')}
  --no-terasky        skip the TeraSky side by side
  --terasky-max-sockets N   bound TeraSky's outgoing HTTP connections (default 64; 0 = unbounded, as it
                      ships: then its syncs of 20 x 500 fail, see README.md)
  --build-app         rebuild packages/app for the bundle step even when its dist is current
  --provider-concurrency N   catalog.providers.upbound.concurrency for the run
  --space-memory-limit L     GOMEMLIMIT of the Space's API servers and etcd (e.g. 400MiB), to fit more control planes
  --base-port P       first port of the bench's Space (default 21440)
  --backend-port P    port of the backends under test (default 21400)
  --out DIR           Spaces and results.json (default bench/out)
  --keep-space        leave the Space running afterwards
  --verbose           the backends' info and warn lines
`;

function int(
  key: string,
  value: string | undefined,
  fallback: number,
  min = 1,
) {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`--${key} must be an integer >= ${min}, got ${value}`);
  return n;
}

function parseSizes(list: string): SpaceSize[] {
  return list.split(',').map(s => {
    const m = /^(\d+)x(\d+)$/.exec(s.trim());
    if (!m)
      throw new Error(`--curve-sizes: expected <mcps>x<claims>, got ${s}`);
    return { mcps: Number(m[1]), claims: Number(m[2]) };
  });
}

export function readOptions(
  argv: string[],
): BenchOptions & { render?: string } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      quick: { type: 'boolean' },
      curves: { type: 'boolean' },
      check: { type: 'boolean' },
      save: { type: 'boolean' },
      'save-as': { type: 'string' },
      merge: { type: 'boolean' },
      render: { type: 'boolean' },
      mcps: { type: 'string' },
      claims: { type: 'string' },
      'curve-sizes': { type: 'string' },
      pairs: { type: 'string' },
      changes: { type: 'string' },
      'graph-requests': { type: 'string' },
      users: { type: 'string' },
      'user-rounds': { type: 'string' },
      postgres: { type: 'boolean' },
      only: { type: 'string' },
      'no-terasky': { type: 'boolean' },
      'terasky-max-sockets': { type: 'string' },
      'build-app': { type: 'boolean' },
      'provider-concurrency': { type: 'string' },
      'space-memory-limit': { type: 'string' },
      'base-port': { type: 'string' },
      'backend-port': { type: 'string' },
      out: { type: 'string' },
      'keep-space': { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (values.merge && !(values.curves && values.save))
    throw new Error('--merge needs --curves and --save');
  if (positionals.length && !values.render)
    throw new Error(`unexpected argument ${positionals[0]} (see --help)`);
  const quick = Boolean(values.quick);
  const mode = values.curves ? 'curves' : quick ? 'quick' : 'default';
  const only = values.only?.split(',').map(s => s.trim()) as Step[] | undefined;
  for (const s of only ?? [])
    if (!STEPS.includes(s)) throw new Error(`--only: unknown step ${s}`);
  let steps: Step[] = only ?? [...STEPS];
  if (values['no-terasky']) steps = steps.filter(s => s !== 'terasky');
  return {
    mode,
    ...(values.render
      ? {
          render: path.resolve(
            positionals[0] ?? path.join(REPO_ROOT, 'bench/results'),
          ),
        }
      : {}),
    size: {
      mcps: int('mcps', values.mcps, quick ? 4 : 20),
      claims: int('claims', values.claims, quick ? 250 : 500),
    },
    curves: values['curve-sizes']
      ? parseSizes(values['curve-sizes'])
      : CURVE_SIZES,
    pairs: int('pairs', values.pairs, 5),
    changes: int('changes', values.changes, quick ? 30 : 102, 3),
    graphRequests: int(
      'graph-requests',
      values['graph-requests'],
      quick ? 20 : 50,
    ),
    users: int('users', values.users, quick ? 10 : 20),
    userRounds: int('user-rounds', values['user-rounds'], quick ? 3 : 10),
    basePort: int('base-port', values['base-port'], 21440, 1024),
    backendPort: int('backend-port', values['backend-port'], 21400, 1024),
    outDir: path.resolve(values.out ?? path.join(REPO_ROOT, 'bench/out')),
    postgres: Boolean(values.postgres),
    check: Boolean(values.check),
    ...(values['save-as'] || values.save
      ? { save: values['save-as'] ?? (values.curves ? 'curves' : 'latest') }
      : {}),
    merge: Boolean(values.merge),
    keepSpace: Boolean(values['keep-space']),
    steps,
    buildApp: Boolean(values['build-app']),
    teraskyMaxSockets: int(
      'terasky-max-sockets',
      values['terasky-max-sockets'],
      64,
      0,
    ),
    verbose: Boolean(values.verbose),
    ...(values['provider-concurrency']
      ? {
          providerConcurrency: int(
            'provider-concurrency',
            values['provider-concurrency'],
            4,
          ),
        }
      : {}),
    ...(values['space-memory-limit']
      ? { spaceMemoryLimit: values['space-memory-limit'] }
      : {}),
  };
}
