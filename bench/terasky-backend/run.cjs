// Bench-only backend: TeraSky's Kubernetes ingestor (catalog module) and Crossplane resources backend,
// with the Backstage Kubernetes backend they proxy through, pointed at the bench's local Space.
// Not part of the product. Input: argv[2] = JSON { options, state, tokens, ca }; result JSON to argv[3].
'use strict';

const fs = require('node:fs');
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
const result = { versions: {} };
const save = () => fs.writeFileSync(outFile, JSON.stringify(result, null, 2));

for (const p of [
  '@terasky/backstage-plugin-kubernetes-ingestor',
  '@terasky/backstage-plugin-crossplane-resources-backend',
  '@backstage/plugin-kubernetes-backend',
  '@backstage/backend-defaults',
]) {
  result.versions[p] = require(`${p}/package.json`).version;
}

// Kubernetes API calls: every HTTPS request to the Space ingress (the Kubernetes backend's proxy and
// client both go through https.request).
let apiCalls = 0;
const ingressPort = String(state.ingress.port);
const origRequest = https.request;
https.request = function request(...args) {
  const opts =
    typeof args[0] === 'string' || args[0] instanceof URL
      ? new URL(args[0])
      : args[0];
  if (String(opts.port) === ingressPort) apiCalls++;
  return origRequest.apply(this, args);
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
      taskRunner: { frequency: 3600, timeout: 3600 },
    },
    crossplane: {
      enabled: true,
      claims: { ingestAllClaims: true },
      xrds: {
        enabled: true,
        ingestAllXRDs: true,
        taskRunner: { frequency: 3600, timeout: 3600 },
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
const counting = () => {
  const l = {
    warn: () => {},
    debug: () => {},
    error: m => {
      if (typeof m === 'string' && m.startsWith('Failed to sync cluster'))
        failedClusterSyncs++;
      log(`error: ${String(m).slice(0, 300)}`);
    },
    info: m => {
      if (typeof m === 'string' && m.startsWith('Making Kubernetes request'))
        proxied++;
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

  const only = input.only;
  if (only.includes('terasky-ingestion')) {
    try {
      const conns = providers.map(() => new Connection());
      await Promise.all(providers.map((p, i) => p.connect(conns[i])));
      const runs = [];
      for (let i = 0; i <= o.teraskySyncRuns; i++) {
        const calls0 = apiCalls;
        const failed0 = failedClusterSyncs;
        const t0 = performance.now();
        conns.forEach(c => {
          c.entities = 0;
        });
        await Promise.all([...tasks.values()].map(fn => fn()));
        runs.push({
          ms: performance.now() - t0,
          calls: apiCalls - calls0,
          entities: conns.reduce((a, c) => a + c.entities, 0),
          failedClusters: failedClusterSyncs - failed0,
        });
        log(
          `full sync ${i === 0 ? '(first)' : i}: ${Math.round(
            runs[i].ms,
          )} ms, ${runs[i].calls} calls, ${runs[i].entities} entities, ${
            runs[i].failedClusters
          } cluster syncs failed`,
        );
      }
      const measured = runs.slice(1);
      result.ingestion = {
        providers: providers.map(p => p.getProviderName()),
        entities: runs[0].entities,
        firstSyncMs: Math.round(runs[0].ms),
        firstSyncCalls: runs[0].calls,
        firstSyncFailedClusters: runs[0].failedClusters,
        syncMs: measured.map(r => Math.round(r.ms)),
        ...(measured.length
          ? {
              medianMs: Math.round(
                percentile(
                  measured.map(r => r.ms),
                  50,
                ),
              ),
              callsPerSync: percentile(
                measured.map(r => r.calls),
                50,
              ),
              entitiesPerLaterSync: measured.map(r => r.entities),
            }
          : {}),
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
      for (let i = 0; i < 3; i++) await timedGet(url);
      const samples = [];
      const p0 = proxied;
      const c0 = apiCalls;
      const n = Math.min(o.graphRequests, 20);
      for (let i = 0; i < n; i++) samples.push((await timedGet(url)).ms);
      const concurrent = [];
      const c1 = apiCalls;
      const rounds = Math.min(o.userRounds, 2);
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
