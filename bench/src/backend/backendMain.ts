/**
 * The backend under test, as its own process (forked by BenchBackend with an IPC channel): the real
 * catalog backend (SQLite or PostgreSQL) with the Upbound catalog module, the Upbound backend plugin,
 * the permission backend (permissions on, an allow-all policy that counts its decisions) and guest
 * sign-in, so the bench calls the routes as the UI does, with a user token.
 *
 * Bench-only instrumentation, nothing in the product is replaced:
 * - the provider's `refresh` and `connect` are wrapped, to report when a full sync starts, when its
 *   `full` mutation is handed to the catalog and when the catalog has taken it, and each `delta`;
 * - the Upbound service's start (its Space discovery, which also starts the claim watches) and the
 *   first full sync wait for the bench's `go`, so the baseline memory is read before any Upbound
 *   data, and the start is timed from one instant;
 * - a catalog module keeps the catalog's scheduler (to trigger full syncs) and the Upbound service
 *   (for its per-cluster call counters).
 *
 * Input: argv[2] = JSON file with { config }. Messages: see BenchBackend.ts.
 */
import fs from 'node:fs';
import { ConfigReader } from '@backstage/config';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  type LoggerService,
  type SchedulerService,
} from '@backstage/backend-plugin-api';
import { createBackend } from '@backstage/backend-defaults';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  DefaultUpboundService,
  upboundServiceRef,
  type UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import catalogModuleUpbound, {
  UpboundEntityProvider,
} from '@upbound-backstage/plugin-catalog-backend-module-upbound';
import {
  ANNOTATION_NAME,
  ANNOTATION_READY,
} from '@upbound-backstage/plugin-upbound-common';
import { floorClients, floorRead } from '../floor';
import type { KubeHttp } from '../kube';

const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const config = new ConfigReader(input.config);
const now = () => performance.timeOrigin + performance.now();
const send = (msg: Record<string, unknown>) => process.send?.(msg);

// ---- what the bench reads from the backend

let scheduler: SchedulerService | undefined;
let upbound: UpboundService | undefined;
const decisions: Record<string, number> = {};
const logCounts = { warn: 0, error: 0 };

const totalCalls = () =>
  Object.values(upbound?.stats() ?? {}).reduce((n, s) => n + s.total, 0);

// ---- instrumentation

let openGate!: () => void;
const gate = new Promise<void>(resolve => {
  openGate = resolve;
});
let gateOpenedAt = 0;
gate.then(() => {
  gateOpenedAt = now();
});
const TASK_ID = 'upbound-provider:default:refresh';

// The Upbound service starts its Space discovery when the backend starts, and the provider's claim
// watches start as soon as that discovery reports control planes: both wait for the gate too.
const service = DefaultUpboundService.prototype as any;
const startDiscovery = service.start;
service.start = function gatedStart(...args: unknown[]) {
  gate.then(() => startDiscovery.apply(this, args));
};

const proto = UpboundEntityProvider.prototype as any;
const refresh = proto.refresh;
proto.refresh = async function instrumentedRefresh(...args: unknown[]) {
  await gate;
  const callsBefore = totalCalls();
  send({ event: 'sync-start', t: now(), calls: callsBefore });
  try {
    await refresh.apply(this, args);
    send({ event: 'sync-end', t: now(), calls: totalCalls() - callsBefore });
  } catch (e) {
    send({ event: 'sync-end', t: now(), error: String(e) });
    throw e;
  }
};

const claimInfo = (e: Entity) => ({
  ref: stringifyEntityRef(e),
  name: e.metadata.annotations?.[ANNOTATION_NAME],
  ready: e.metadata.annotations?.[ANNOTATION_READY],
});

// Each entity of the previous full mutation, serialized: how many a full sync changes decides how
// much the catalog must process again.
let lastFull = new Map<string, string>();

const connect = proto.connect;
proto.connect = function instrumentedConnect(conn: EntityProviderConnection) {
  const wrapped: EntityProviderConnection = {
    refresh: options => conn.refresh(options),
    applyMutation: async (m: EntityProviderMutation) => {
      if (m.type === 'full') {
        const t = now();
        const next = new Map<string, string>();
        let changed = 0;
        for (const d of m.entities) {
          const ref = stringifyEntityRef(d.entity);
          const text = JSON.stringify(d.entity);
          next.set(ref, text);
          if (lastFull.get(ref) !== text) changed++;
        }
        const first = lastFull.size === 0;
        lastFull = next;
        send({
          event: 'full',
          t,
          entities: m.entities.length,
          // Entities new or different since the previous full mutation (all of them in the first).
          changed: first ? m.entities.length : changed,
          // Every entity ref, so the bench can check that all of them are readable.
          refs: m.entities.map(d => stringifyEntityRef(d.entity)),
        });
        await conn.applyMutation(m);
        send({ event: 'full-accepted', t: now() });
      } else {
        const t = now();
        await conn.applyMutation(m);
        send({
          event: 'delta',
          t,
          accepted: now(),
          added: m.added.map(d => claimInfo(d.entity)),
          removed: m.removed.map(r => ('entityRef' in r ? r.entityRef : '')),
        });
      }
    },
  };
  return connect.call(this, wrapped);
};

// ---- modules

const probe = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'bench-probe',
  register(env) {
    env.registerInit({
      deps: { scheduler: coreServices.scheduler, upbound: upboundServiceRef },
      async init(deps) {
        scheduler = deps.scheduler;
        upbound = deps.upbound;
      },
    });
  },
});

/** Allows everything, and counts what it was asked: the permission checks run, none is skipped. */
const countingAllowAll = createBackendModule({
  pluginId: 'permission',
  moduleId: 'bench-allow-all',
  register(env) {
    env.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy({
          async handle(request) {
            const name = request.permission.name;
            decisions[name] = (decisions[name] ?? 0) + 1;
            return { result: AuthorizeResult.ALLOW };
          },
        });
      },
    });
  },
});

function logger(prefix: string): LoggerService {
  const l: LoggerService = {
    error: (m: string, meta?: any) => {
      logCounts.error++;
      process.stderr.write(
        `${prefix} error: ${m}${meta?.message ? ` ${meta.message}` : ''}\n`,
      );
    },
    warn: (m: string) => {
      logCounts.warn++;
      if (input.verbose) process.stderr.write(`${prefix} warn: ${m}\n`);
    },
    info: (m: string) => {
      if (input.verbose) process.stderr.write(`${prefix} info: ${m}\n`);
    },
    debug: () => {},
    child: () => l,
  };
  return l;
}

let clients: KubeHttp[] | undefined;

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
      factory: () => logger('[backend]') as any,
    }),
  );
  backend.add(import('@backstage/plugin-catalog-backend'));
  backend.add(catalogModuleUpbound);
  backend.add(probe);
  backend.add(import('@upbound-backstage/plugin-upbound-backend'));
  backend.add(import('@backstage/plugin-permission-backend'));
  backend.add(countingAllowAll);
  backend.add(import('@backstage/plugin-auth-backend'));
  backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
  if (input.openGate) openGate();
  await backend.start();

  process.on('message', async (msg: any) => {
    const reply = (body: Record<string, unknown>) =>
      send({ id: msg.id, ...body });
    try {
      switch (msg.op) {
        case 'go':
          openGate();
          await gate;
          reply({ t: gateOpenedAt });
          break;
        case 'trigger':
          await scheduler!.triggerTask(TASK_ID);
          reply({});
          break;
        case 'floor': {
          // The floor runs here, so it shares this process with the catalog as our read does.
          clients ??= floorClients(input.floorKubeconfigs);
          reply({ ...(await floorRead(clients, msg.concurrency)) });
          break;
        }
        case 'gc':
          (globalThis as { gc?: () => void }).gc?.();
          reply({});
          break;
        case 'stats': {
          const m = process.memoryUsage();
          const cpu = process.cpuUsage();
          reply({
            cpuMs: (cpu.user + cpu.system) / 1000,
            rss: m.rss,
            heapUsed: m.heapUsed,
            heapTotal: m.heapTotal,
            external: m.external,
            arrayBuffers: m.arrayBuffers,
            calls: totalCalls(),
            byCluster: upbound?.stats() ?? {},
            decisions: { ...decisions },
            logs: { ...logCounts },
          });
          break;
        }
        case 'stop':
          await backend.stop();
          reply({});
          process.exit(0);
          break;
        default:
          reply({ error: `unknown op ${msg.op}` });
      }
    } catch (e) {
      reply({ error: e instanceof Error ? e.message : String(e) });
    }
  });
  send({ event: 'ready', t: now() });
}

main().catch(e => {
  process.stderr.write(`[backend] failed to start: ${e?.stack ?? e}\n`);
  process.exit(1);
});
