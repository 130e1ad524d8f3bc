/** Command-line options of the bench; every size is a parameter. */
import path from 'node:path';
import { parseArgs } from 'node:util';

export interface BenchOptions {
  mcps: number;
  claims: number;
  /** Measured full syncs (after one warm-up); the median is reported. */
  syncRuns: number;
  /** TeraSky full syncs after its first one (each takes minutes). */
  teraskySyncRuns: number;
  /** Claim changes (create, update, delete in turn) for the freshness measurement. */
  changes: number;
  /** Graph requests per series (cold, warm); warm-ups are extra. */
  graphRequests: number;
  /** Concurrent users for the coalescing measurement, and rounds of it. */
  users: number;
  userRounds: number;
  basePort: number;
  backendPort: number;
  stateDir: string;
  outDir: string;
  terasky: boolean;
  keepSpace: boolean;
  only?: string[];
  /** catalog.providers.upbound.concurrency for the run (control planes read in parallel); product default when unset. */
  providerConcurrency?: number;
  /** Experiment: leave control planes the Space reports not Ready out of the provider's inventory. */
  skipNotReady: boolean;
}

export const REPO_ROOT = path.resolve(__dirname, '../..');

const USAGE = `usage: scripts/bench.sh [options]   (or make bench)

  --mcps N            control planes (default 20)
  --claims M          claims per control plane, each with an XR and two managed resources (default 500)
  --sync-runs K       measured full syncs after one warm-up, each paired with a floor read (default 5)
  --terasky-sync-runs K  further TeraSky full syncs after its first (default 0; each takes minutes)
  --changes C         claim changes for freshness (default 50)
  --graph-requests R  graph requests per series (default 50)
  --users U           concurrent users hitting one graph (default 20), --user-rounds (default 10)
  --base-port P       first port of the bench's local Space (default 21440)
  --backend-port P    port of the bench backends (default 21400)
  --state-dir DIR     the bench's local Space (default bench/out/space-<mcps>x<claims>; its data is kept and reused)
  --out DIR           where results.json goes (default bench/out)
  --no-terasky        skip the TeraSky side by side
  --keep-space        leave the local Space running afterwards
  --provider-concurrency N  control planes the catalog provider reads in parallel (default: the product's default)
  --skip-not-ready    experiment: the provider skips control planes the Space reports not Ready
  --only LIST         comma list of ingestion,freshness,graph,terasky
`;

export function readOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      mcps: { type: 'string' },
      claims: { type: 'string' },
      'sync-runs': { type: 'string' },
      'terasky-sync-runs': { type: 'string' },
      changes: { type: 'string' },
      'graph-requests': { type: 'string' },
      users: { type: 'string' },
      'user-rounds': { type: 'string' },
      'base-port': { type: 'string' },
      'backend-port': { type: 'string' },
      'state-dir': { type: 'string' },
      out: { type: 'string' },
      'no-terasky': { type: 'boolean' },
      'keep-space': { type: 'boolean' },
      only: { type: 'string' },
      'provider-concurrency': { type: 'string' },
      'skip-not-ready': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const int = (
    key: string,
    value: string | undefined,
    fallback: number,
    min = 1,
  ) => {
    const n = value === undefined ? fallback : Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${key} must be an integer >= ${min}, got ${value}`);
    return n;
  };
  const mcps = int('mcps', values.mcps, 20);
  const claims = int('claims', values.claims, 500);
  return {
    mcps,
    claims,
    syncRuns: int('sync-runs', values['sync-runs'], 5),
    teraskySyncRuns: int(
      'terasky-sync-runs',
      values['terasky-sync-runs'],
      0,
      0,
    ),
    changes: int('changes', values.changes, 50, 3),
    graphRequests: int('graph-requests', values['graph-requests'], 50),
    users: int('users', values.users, 20),
    userRounds: int('user-rounds', values['user-rounds'], 10),
    basePort: int('base-port', values['base-port'], 21440, 1024),
    backendPort: int('backend-port', values['backend-port'], 21400, 1024),
    stateDir: path.resolve(
      values['state-dir'] ??
        path.join(REPO_ROOT, `bench/out/space-${mcps}x${claims}`),
    ),
    outDir: path.resolve(values.out ?? path.join(REPO_ROOT, 'bench/out')),
    terasky: !values['no-terasky'],
    keepSpace: Boolean(values['keep-space']),
    skipNotReady: Boolean(values['skip-not-ready']),
    only: values.only?.split(',').map(s => s.trim()),
    ...(values['provider-concurrency']
      ? {
          providerConcurrency: int(
            'provider-concurrency',
            values['provider-concurrency'],
            4,
          ),
        }
      : {}),
  };
}
