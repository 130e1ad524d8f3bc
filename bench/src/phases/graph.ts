/**
 * The resource graph through the route the UI calls for a claim entity,
 * `GET /api/upbound/entities/:kind/:namespace/:name/graph`, with a user token from guest sign-in and
 * permissions on: each request reads the entity from the catalog on behalf of the user and
 * authorizes `upbound.claim.read` on it (the policy counts its decisions, so the checks are seen to
 * run). Every answer is checked: its nodes by kind, no missing node.
 *
 * Backends on one catalog database that already holds the processed entities:
 * - cold: graph cache off; the first request is sent as soon as the backend listens, before any
 *   discovery (nothing cached), then the uncached rebuild series and concurrent users;
 * - cached: the product's default graph cache (5 s), a series of requests as a user makes them.
 * In both, the provider's first full sync is held back an hour, so it does not compete. The parts of
 * the route are timed too: the catalog lookup as the user, and one permission check.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LocalSpaceState } from '@internal/local-space';
import { BenchBackend, type DatabaseConfig } from '../backend/BenchBackend';
import { GRAPH_CLAIM } from '../space';
import { percentile, round, sleep, summary } from '../stats';

/** What the graph claim must yield: claim, XR, nested XR, 50 managed resources of 5 kinds. */
export const EXPECTED_NODES: Record<string, number> = {
  PostgreSQLInstance: 1,
  XPostgreSQLInstance: 1,
  XNetwork: 1,
  Instance: 10,
  Bucket: 10,
  BucketVersioning: 10,
  Object: 10,
  SubnetGroup: 10,
};

const HELD_BACK = {
  frequency: { hours: 1 },
  timeout: { minutes: 3 },
  initialDelay: { hours: 1 },
};

function checkGraph(body: any): string | undefined {
  const byKind: Record<string, number> = {};
  for (const n of body.nodes ?? []) byKind[n.kind] = (byKind[n.kind] ?? 0) + 1;
  const missing = (body.nodes ?? []).filter((n: any) => n.missing).length;
  const wrong = Object.entries(EXPECTED_NODES).filter(
    ([k, n]) => byKind[k] !== n,
  );
  if (missing || wrong.length || (body.nodes ?? []).length !== 53)
    return `unexpected graph: ${JSON.stringify(
      byKind,
    )}, ${missing} missing nodes`;
  return undefined;
}

async function timed(backend: BenchBackend, route: string, token: string) {
  const t0 = performance.now();
  const { status, body } = await backend.getJson(route, token);
  const ms = performance.now() - t0;
  if (status !== 200)
    throw new Error(
      `graph route answered ${status}: ${JSON.stringify(body).slice(0, 300)}`,
    );
  const problem = checkGraph(body);
  if (problem) throw new Error(problem);
  return {
    ms,
    nodes: body.nodes.length as number,
    edges: (body.edges ?? []).length as number,
  };
}

/** Calls and permission decisions made by `fn`, from the backend's counters. */
async function counted<T>(backend: BenchBackend, fn: () => Promise<T>) {
  const a = await backend.stats(false);
  const value = await fn();
  const b = await backend.stats(false);
  const decisions: Record<string, number> = {};
  for (const [k, v] of Object.entries(b.decisions))
    if (v - (a.decisions[k] ?? 0)) decisions[k] = v - (a.decisions[k] ?? 0);
  return { value, calls: b.calls - a.calls, decisions };
}

/**
 * Fills a catalog database with the provider's entities and waits until the catalog has processed
 * every one, so the measurements below run in a settled catalog (its periodic re-processing starts
 * 100 to 150 s after an entity was processed).
 */
async function prepareCatalog(
  state: LocalSpaceState,
  port: number,
  database: DatabaseConfig,
  log: (l: string) => void,
): Promise<{ kind: string; namespace: string; name: string }> {
  const backend = await BenchBackend.start({
    state,
    port,
    database,
    openGate: true,
  });
  try {
    const full = await backend.next('full', 10 * 60_000);
    const until = Date.now() + 30 * 60_000;
    while (Date.now() < until) {
      if ((await backend.providerEntityCount()) >= full.entities) {
        const [e] = await backend.entitiesNamed(
          GRAPH_CLAIM,
          'kind,metadata.name,metadata.namespace',
        );
        if (!e) throw new Error(`the graph claim ${GRAPH_CLAIM} has no entity`);
        return {
          kind: e.kind,
          namespace: e.metadata.namespace ?? 'default',
          name: e.metadata.name,
        };
      }
      await sleep(1000);
    }
    throw new Error(
      `the catalog did not process the provider's ${full.entities} entities within 30 minutes`,
    );
  } finally {
    await backend.stop();
    log('graph: catalog database prepared');
  }
}

export async function graph(
  state: LocalSpaceState,
  o: {
    port: number;
    requests: number;
    users: number;
    userRounds: number;
    database?: DatabaseConfig;
  },
  log: (l: string) => void,
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-graph-db-'));
  const database: DatabaseConfig = o.database ?? {
    client: 'sqlite',
    directory: dir,
  };
  try {
    const ref = await prepareCatalog(state, o.port, database, log);
    const route = `/api/upbound/entities/${[ref.kind, ref.namespace, ref.name]
      .map(encodeURIComponent)
      .join('/')}/graph`;

    // Cold: no graph cache; the first request right after start, before the Upbound service has
    // run any discovery (its start is held back, so the request runs it).
    let backend = await BenchBackend.start({
      state,
      port: o.port,
      database,
      graphTtlMs: 0,
      providerSchedule: HELD_BACK,
    });
    let token = await backend.userToken();
    const first = await counted(backend, () => timed(backend, route, token));
    log(
      `graph: first request after start ${Math.round(first.value.ms)} ms, ${
        first.calls
      } calls`,
    );
    for (let i = 0; i < 5; i++) await timed(backend, route, token);
    const uncached: number[] = [];
    const series = await counted(backend, async () => {
      for (let i = 0; i < o.requests; i++)
        uncached.push((await timed(backend, route, token)).ms);
    });
    const concurrent: number[] = [];
    const users = await counted(backend, async () => {
      for (let r = 0; r < o.userRounds; r++) {
        const rs = await Promise.all(
          Array.from({ length: o.users }, () => timed(backend, route, token)),
        );
        concurrent.push(...rs.map(x => x.ms));
      }
    });
    await backend.stop();

    // Cached: the product's default graph cache.
    backend = await BenchBackend.start({
      state,
      port: o.port,
      database,
      openGate: true,
      providerSchedule: HELD_BACK,
    });
    token = await backend.userToken();
    for (let i = 0; i < 5; i++) await timed(backend, route, token);
    const cached: number[] = [];
    const cachedSeries = await counted(backend, async () => {
      for (let i = 0; i < o.requests; i++)
        cached.push((await timed(backend, route, token)).ms);
    });
    // The route's parts: the entity read from the catalog as the user, and one permission check.
    const lookup: number[] = [];
    const permission: number[] = [];
    const byName = `/api/catalog/entities/by-name/${[
      ref.kind,
      ref.namespace,
      ref.name,
    ]
      .map(encodeURIComponent)
      .join('/')}`;
    for (let i = 0; i < o.requests; i++) {
      let t0 = performance.now();
      const r = await backend.getJson(byName, token);
      if (r.status !== 200)
        throw new Error(`catalog by-name answered ${r.status}`);
      lookup.push(performance.now() - t0);
      t0 = performance.now();
      const p = await backend.postJson(
        '/api/permission/authorize',
        {
          items: [
            {
              id: 'bench',
              permission: {
                type: 'resource',
                name: 'upbound.claim.read',
                attributes: { action: 'read' },
                resourceType: 'catalog-entity',
              },
              resourceRef:
                `${ref.kind}:${ref.namespace}/${ref.name}`.toLowerCase(),
            },
          ],
        },
        token,
      );
      if (p.status !== 200)
        throw new Error(`permission authorize answered ${p.status}`);
      permission.push(performance.now() - t0);
    }
    await backend.stop();

    const perRequest = (
      n: number,
      d: Record<string, number>,
      count: number,
    ) => ({
      calls: round(n / count, 1),
      decisions: Object.fromEntries(
        Object.entries(d).map(([k, v]) => [k, round(v / count, 1)]),
      ),
    });
    const callsPerBuild = series.calls / o.requests;
    return {
      entityRef: `${ref.kind}:${ref.namespace}/${ref.name}`,
      route: route.replace(/\/[^/]+\/graph$/, '/:name/graph'),
      nodes: first.value.nodes,
      edges: first.value.edges,
      first: {
        ms: round(first.value.ms, 0),
        calls: first.calls,
        decisions: first.decisions,
      },
      uncached: {
        ...summary(uncached),
        p50Ms: round(percentile(uncached, 50), 1),
        p95Ms: round(percentile(uncached, 95), 1),
        ...perRequest(series.calls, series.decisions, o.requests),
      },
      cached: {
        ...summary(cached),
        p50Ms: round(percentile(cached, 50), 1),
        p95Ms: round(percentile(cached, 95), 1),
        ttlMs: 5000,
        // Builds in the series: its calls over the calls of one build.
        builds: round(cachedSeries.calls / Math.max(callsPerBuild, 1), 1),
        ...perRequest(cachedSeries.calls, cachedSeries.decisions, o.requests),
      },
      parts: {
        catalogLookup: {
          ...summary(lookup),
          p50Ms: round(percentile(lookup, 50), 1),
        },
        permissionCheck: {
          ...summary(permission),
          p50Ms: round(percentile(permission, 50), 1),
        },
      },
      concurrent: {
        users: o.users,
        rounds: o.userRounds,
        ...summary(concurrent),
        callsPerRound: round(users.calls / o.userRounds, 1),
      },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
