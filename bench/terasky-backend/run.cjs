// Bench-only backend: TeraSky's Kubernetes ingestor (catalog module) and Crossplane resources backend,
// with the Backstage Kubernetes backend they proxy through, pointed at the bench's local Space.
// Not part of the product. Input: argv[2] = JSON { options, state, tokens, ca }; result JSON to argv[3].
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const { createBackend } = require('@backstage/backend-defaults');
const {
  createBackendPlugin,
  createServiceFactory,
  coreServices,
} = require('@backstage/backend-plugin-api');
const {
  catalogProcessingExtensionPoint,
} = require('@backstage/plugin-catalog-node');
const { ConfigReader } = require('@backstage/config');

const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const outFile = process.argv[3];
const { options: o, state, tokens, ca } = input;
const STATIC_TOKEN = 'bench-static-token-0123456789';
const log = line => process.stderr.write(`[terasky] ${line}\n`);
const result = {
  versions: {},
  setup: { maxSockets: o.maxSockets ?? 0 },
};
const save = () => fs.writeFileSync(outFile, JSON.stringify(result, null, 2));

for (const p of [
  '@terasky/backstage-plugin-kubernetes-ingestor',
  '@terasky/backstage-plugin-crossplane-resources-backend',
  '@backstage/plugin-kubernetes-backend',
  '@backstage/backend-defaults',
]) {
  result.versions[p] = require(`${p}/package.json`).version;
}

// The ingestor calls its own backend's Kubernetes proxy with node-fetch and no agent, one request
// per claim for its Composition and all of them at once: 10,000 new connections at 20 x 500, which
// overflow the backend's listen queue (Node's backlog of 511); the kernel's SYN-cookie fallback
// then resets some of them (read ECONNRESET) and each reset fails a whole cluster's sync. Bounding
// this process's outgoing HTTP connections (the default agent node-fetch uses) queues them instead.
if (o.maxSockets) {
  http.globalAgent = new http.Agent({
    keepAlive: true,
    maxSockets: o.maxSockets,
  });
}

// Kubernetes API calls: every HTTPS request to the Space ingress (the Kubernetes backend's proxy and
// client both go through https.request).
// Their answers are counted by status ('error' for a request that failed without one), with the
// paths of the failures, so a failed sync can be traced to the call that failed.
let apiCalls = 0;
const statuses = {};
const failures = {};
const countStatus = (key, path) => {
  statuses[key] = (statuses[key] ?? 0) + 1;
  if (key !== '200') {
    const k = `${key} ${String(path).replace(/\?.*$/, '')}`;
    failures[k] = (failures[k] ?? 0) + 1;
  }
};
const ingressPort = String(state.ingress.port);
const origRequest = https.request;
https.request = function request(...args) {
  const opts =
    typeof args[0] === 'string' || args[0] instanceof URL
      ? new URL(args[0])
      : args[0];
  const req = origRequest.apply(this, args);
  if (String(opts.port) === ingressPort) {
    apiCalls++;
    const p = opts.path ?? opts.pathname;
    req.on('response', res => countStatus(String(res.statusCode), p));
    req.on('error', e => countStatus(`error ${e.code ?? e.message}`, p));
  }
  return req;
};

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[
    Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))
  ];
};
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const rssMiB = () => Math.round(process.memoryUsage().rss / (1 << 20));

const clusters = state.controlPlanes
  .filter(cp => cp.running)
  .map(cp => ({
    name: `${cp.group}-${cp.name}`,
    url: cp.ingressUrl,
    authProvider: 'serviceAccount',
    serviceAccountToken: tokens.controlPlanes[`${cp.group}/${cp.name}`].ingress,
    caData: Buffer.from(ca).toString('base64'),
    skipMetricsLookup: true,
  }));

const config = new ConfigReader({
  backend: {
    baseUrl: `http://127.0.0.1:${o.backendPort}`,
    listen: { host: '127.0.0.1', port: o.backendPort },
    ...(o.server ? { server: o.server } : {}),
    auth: {
      externalAccess: [
        { type: 'static', options: { token: STATIC_TOKEN, subject: 'bench' } },
      ],
    },
  },
  permission: { enabled: false },
  crossplane: { enabled: true },
  kubernetes: {
    serviceLocatorMethod: { type: 'multiTenant' },
    clusterLocatorMethods: [{ type: 'config', clusters }],
  },
  kubernetesIngestor: {
    allowAllClusters: true,
    defaultOwner: 'group:default/platform',
    components: {
      enabled: true,
      disableDefaultWorkloadTypes: true,
    },
    crossplane: {
      enabled: true,
      claims: { ingestAllClaims: true },
      xrds: {
        enabled: true,
        ingestAllXRDs: true,
      },
    },
  },
});

// The catalog is replaced by a plugin that only collects entity providers, so ingestion is timed from
// the first API call to the full mutation, without the catalog's database.
const providers = [];
const benchCatalog = createBackendPlugin({
  pluginId: 'catalog',
  register(env) {
    env.registerExtensionPoint(catalogProcessingExtensionPoint, {
      addProcessor() {},
      addEntityProvider(...ps) {
        providers.push(...ps.flat());
      },
      addPlaceholderResolver() {},
      setOnProcessingErrorHandler() {},
    });
    env.registerInit({ deps: {}, async init() {} });
  },
});

// Scheduled tasks are captured and run by the bench.
const tasks = new Map();
const scheduler = {
  createScheduledTaskRunner: () => ({
    run: async t => {
      tasks.set(t.id, t.fn);
    },
  }),
  scheduleTask: async t => {
    tasks.set(t.id, t.fn);
  },
  triggerTask: async () => {},
  getScheduledTasks: async () => [],
};

const quiet = () => {
  const l = {
    error: m => log(`error: ${m}`),
    warn: () => {},
    info: () => {},
    debug: () => {},
    child: () => l,
  };
  return l;
};
// Counts the Crossplane backend's own "Making Kubernetes request" lines (one per proxied call).
let proxied = 0;
let failedClusterSyncs = 0;
const syncErrors = [];
// Claims its KubernetesEntityProvider read in the current sync, from its per-cluster summary lines.
let claimsThisSync = 0;
let syncStarted = 0;
// Open file descriptors of this process (sockets included), sampled: its peak during a sync, against
// the process's limit, shows when the ingestor runs out of them.
let fdPeak = 0;
const fdCount = () => {
  try {
    return fs.readdirSync('/proc/self/fd').length;
  } catch {
    return 0;
  }
};
setInterval(() => {
  fdPeak = Math.max(fdPeak, fdCount());
}, 100).unref();
// Machine-wide TCP counters (/proc/net/netstat, /proc/net/snmp): listen-queue overflows and reset
// connections during a sync are the trace of a connection burst its backend cannot accept.
const tcpCounters = () => {
  const read = (file, section, keys) => {
    try {
      const lines = fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter(l => l.startsWith(`${section}:`));
      const names = lines[0].split(/\s+/);
      const values = lines[1].split(/\s+/);
      return Object.fromEntries(
        keys.map(k => [k, Number(values[names.indexOf(k)])]),
      );
    } catch {
      return {};
    }
  };
  return {
    ...read('/proc/net/netstat', 'TcpExt', [
      'ListenOverflows',
      'ListenDrops',
      'SyncookiesSent',
      'SyncookiesFailed',
    ]),
    ...read('/proc/net/snmp', 'Tcp', ['EstabResets', 'OutRsts']),
  };
};
const diff = (a, b) =>
  Object.fromEntries(Object.keys(b).map(k => [k, b[k] - (a[k] ?? 0)]));
const fdLimit = () => {
  try {
    const line = fs
      .readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find(l => l.startsWith('Max open files'));
    return Number(line.split(/\s+/)[3]);
  } catch {
    return undefined;
  }
};
// kubernetesIngestor.components.taskRunner.frequency default (its config.d.ts): 600 s.
const PERIOD_S = 600;
const counting = () => {
  const l = {
    warn: () => {},
    debug: () => {},
    error: m => {
      const text = String(m);
      if (text.startsWith('Failed to sync cluster')) {
        failedClusterSyncs++;
        syncErrors.push(
          `${Math.round(
            (performance.now() - syncStarted) / 1000,
          )} s into the sync: ${text.slice(0, 300)}`,
        );
      }
      // The XRD template provider logs one line per XRD that lacks Crossplane's status.
      if (o.verbose || text.startsWith('Failed to sync cluster'))
        log(`error: ${text.slice(0, 400)}`);
    },
    info: m => {
      if (typeof m === 'string' && m.startsWith('Making Kubernetes request'))
        proxied++;
      const claims = /^Delta sync for cluster .* claims=(\d+)/.exec(String(m));
      if (claims) claimsThisSync += Number(claims[1]);
      if (o.verbose || String(m).startsWith('Delta sync for cluster'))
        log(`info: ${String(m).slice(0, 200)}`);
    },
    child: () => l,
  };
  return l;
};

// The ingestor emits `delta` mutations against its own cache of what it emitted before, so the entities
// of a sync are those of its full mutations plus those added by its deltas.
class Connection {
  constructor() {
    this.entities = 0;
  }
  async applyMutation(m) {
    this.entities += m.type === 'full' ? m.entities.length : m.added.length;
  }
  async refresh() {}
}

async function timedGet(url) {
  const t0 = performance.now();
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${STATIC_TOKEN}` },
  });
  const body = await res.json();
  const ms = performance.now() - t0;
  if (!res.ok)
    throw new Error(
      `graph route answered ${res.status}: ${JSON.stringify(body).slice(
        0,
        300,
      )}`,
    );
  return { ms, nodes: body.resources?.length ?? 0 };
}

async function main() {
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
      factory: () => counting(),
    }),
  );
  backend.add(
    createServiceFactory({
      service: coreServices.scheduler,
      deps: {},
      factory: () => scheduler,
    }),
  );
  backend.add(benchCatalog);
  backend.add(require('@backstage/plugin-kubernetes-backend'));
  backend.add(require('@terasky/backstage-plugin-kubernetes-ingestor'));
  backend.add(
    require('@terasky/backstage-plugin-crossplane-resources-backend'),
  );
  global.gc?.();
  const rssBefore = rssMiB();
  await backend.start();
  log(
    `backend started with ${providers.length} entity providers: ${providers
      .map(p => p.getProviderName())
      .join(', ')}`,
  );

  const only = input.only ?? ['terasky-ingestion', 'terasky-graph'];
  if (only.includes('terasky-ingestion')) {
    try {
      const conns = providers.map(() => new Connection());
      await Promise.all(providers.map((p, i) => p.connect(conns[i])));
      // The first sync, then as many later syncs as ours had measured runs, within a time budget
      // (each reads everything again; at 10,000 claims one takes minutes).
      const runs = [];
      const laterUntil = () =>
        performance.now() + (o.teraskyBudgetMs ?? 6 * 60_000);
      let budgetEnd = Infinity;
      for (
        let i = 0;
        i <= (o.syncRuns ?? 0) && performance.now() < budgetEnd;
        i++
      ) {
        const calls0 = apiCalls;
        const failed0 = failedClusterSyncs;
        const t0 = performance.now();
        conns.forEach(c => {
          c.entities = 0;
        });
        claimsThisSync = 0;
        syncStarted = t0;
        fdPeak = 0;
        const tcp0 = tcpCounters();
        await Promise.all([...tasks.values()].map(fn => fn()));
        runs.push({
          ms: performance.now() - t0,
          calls: apiCalls - calls0,
          entities: conns.reduce((a, c) => a + c.entities, 0),
          claims: claimsThisSync,
          failedClusters: failedClusterSyncs - failed0,
          fdPeak,
          tcp: diff(tcp0, tcpCounters()),
        });
        if (i === 0) budgetEnd = laterUntil();
        log(
          `full sync ${i === 0 ? '(first)' : i}: ${Math.round(
            runs[i].ms,
          )} ms, ${runs[i].calls} calls, ${
            runs[i].entities
          } entities emitted, ${runs[i].claims} claims read, ${
            runs[i].failedClusters
          } cluster syncs failed, ${
            runs[i].fdPeak
          } open files at the peak (limit ${fdLimit()})`,
        );
      }
      const later = runs.slice(1);
      const syncTimes = (later.length ? later : runs).map(r => r.ms);
      // No watches: a change waits for the next sync of its 600 s default period, then for that sync.
      const periodMs = PERIOD_S * 1000;
      result.ingestion = {
        providers: providers.map(p => p.getProviderName()),
        entities: runs[0].entities,
        claims: runs[0].claims,
        firstSyncMs: Math.round(runs[0].ms),
        firstSyncCalls: runs[0].calls,
        firstSyncFailedClusters: runs[0].failedClusters,
        openFiles: { peakFirstSync: runs[0].fdPeak, limit: fdLimit() },
        // Machine-wide, so other processes add to them; a burst shows as thousands.
        tcpCountersFirstSync: runs[0].tcp,
        syncErrors: syncErrors.slice(0, 10),
        ingressStatuses: { ...statuses },
        ingressFailures: Object.fromEntries(
          Object.entries(failures)
            .sort((a, b) => b[1] - a[1])
            .slice(0, 10),
        ),
        ...(later.length
          ? {
              later: {
                n: later.length,
                p50Ms: Math.round(
                  percentile(
                    later.map(r => r.ms),
                    50,
                  ),
                ),
                p95Ms: Math.round(
                  percentile(
                    later.map(r => r.ms),
                    95,
                  ),
                ),
                calls: percentile(
                  later.map(r => r.calls),
                  50,
                ),
                entitiesEmitted: later.map(r => r.entities),
                failedClusters: later.map(r => r.failedClusters),
              },
            }
          : {}),
        freshness: {
          periodS: PERIOD_S,
          derived: true,
          p50Ms: Math.round(periodMs * 0.5 + percentile(syncTimes, 50)),
          p95Ms: Math.round(periodMs * 0.95 + percentile(syncTimes, 95)),
          maxMs: Math.round(periodMs + Math.max(...syncTimes)),
        },
        rssBeforeMiB: rssBefore,
        rssAfterMiB: rssMiB(),
      };
    } catch (e) {
      result.ingestion = { error: e.message };
      log(e.stack);
    }
    save();
  }

  if (only.includes('terasky-graph')) {
    try {
      const cp = state.controlPlanes.find(
        c => `${c.group}/${c.name}` === 'platform/dev',
      );
      const q = new URLSearchParams({
        clusterName: `${cp.group}-${cp.name}`,
        namespace: 'bench-graph',
        xrdName: 'xpostgresqlinstances.database.example.org',
        xrdId: 'bench',
        claimId: 'bench',
        claimName: 'graph-db',
        claimGroup: 'database.example.org',
        claimVersion: 'v1alpha1',
        claimPlural: 'postgresqlinstances',
      });
      const url = `http://127.0.0.1:${o.backendPort}/api/crossplane/graph?${q}`;
      const first = await timedGet(url);
      for (let i = 0; i < 5; i++) await timedGet(url);
      const samples = [];
      const p0 = proxied;
      const c0 = apiCalls;
      const n = o.graphRequests;
      for (let i = 0; i < n; i++) samples.push((await timedGet(url)).ms);
      const concurrent = [];
      const c1 = apiCalls;
      const rounds = o.userRounds;
      for (let r = 0; r < rounds; r++) {
        const rs = await Promise.all(
          Array.from({ length: o.users }, () => timedGet(url)),
        );
        concurrent.push(...rs.map(x => x.ms));
      }
      result.graph = {
        nodes: first.nodes,
        firstRequestMs: Math.round(first.ms),
        requests: n,
        p50Ms: round(percentile(samples, 50)),
        p95Ms: round(percentile(samples, 95)),
        callsPerRequest: round((c1 - c0) / n),
        concurrent: {
          users: o.users,
          rounds,
          p50Ms: round(percentile(concurrent, 50)),
          p95Ms: round(percentile(concurrent, 95)),
          callsPerRound: round((apiCalls - c1) / rounds),
        },
      };
    } catch (e) {
      result.graph = { error: e.message };
      log(e.stack);
    }
    save();
  }
  await backend.stop();
  process.exit(0);
}

main().catch(e => {
  result.error = e.message;
  save();
  log(e.stack);
  process.exit(1);
});
