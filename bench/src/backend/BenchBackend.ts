/**
 * The bench's side of the backend under test (backendMain.ts): forks it with an IPC channel, builds
 * its config, and calls it over HTTP the way the UI and other services do.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LocalSpaceState } from '@internal/local-space';
import type { FloorResult } from '../floor';

const TRANSFORM = require.resolve('@backstage/cli/config/nodeTransform.cjs');
export const STATIC_TOKEN = 'bench-static-token-0123456789';
export const PROVIDER_ORIGIN = 'upbound:upbound-provider:default';

export type DatabaseConfig =
  | { client: 'sqlite'; directory?: string }
  | { client: 'pg'; host: string; port: number; user: string; prefix: string };

export interface BenchBackendOptions {
  state: LocalSpaceState;
  port: number;
  database: DatabaseConfig;
  /** `upbound.backend.cache.graphTtlMs`; unset: the product default. */
  graphTtlMs?: number;
  /** `catalog.providers.upbound.concurrency`; unset: the product default. */
  providerConcurrency?: number;
  /** Schedule of the provider's full sync; unset: the product default (every 5 minutes, first at start). */
  providerSchedule?: Record<string, unknown>;
  /** Let the first full sync run at once instead of waiting for go(). */
  openGate?: boolean;
  verbose?: boolean;
}

/** The backend's config: what an operator writes for a self-hosted Space, plus the bench's token. */
export function backendConfig(o: BenchBackendOptions): Record<string, any> {
  const database =
    o.database.client === 'pg'
      ? {
          client: 'pg',
          prefix: o.database.prefix,
          connection: {
            host: o.database.host,
            port: o.database.port,
            user: o.database.user,
          },
        }
      : {
          client: 'better-sqlite3',
          connection: o.database.directory
            ? { directory: o.database.directory }
            : ':memory:',
        };
  const baseUrl = `http://127.0.0.1:${o.port}`;
  return {
    app: { baseUrl },
    backend: {
      baseUrl,
      listen: { host: '127.0.0.1', port: o.port },
      database,
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: STATIC_TOKEN, subject: 'bench' },
          },
        ],
      },
    },
    auth: {
      providers: { guest: { dangerouslyAllowOutsideDevelopment: true } },
    },
    permission: { enabled: true },
    catalog: {
      providers: {
        upbound: {
          ...(o.providerConcurrency
            ? { concurrency: o.providerConcurrency }
            : {}),
          ...(o.providerSchedule ? { schedule: o.providerSchedule } : {}),
        },
      },
    },
    upbound: {
      spaces: [
        {
          name: o.state.spaceName,
          enabled: true,
          hub: { kubeconfigPath: o.state.hub.kubeconfigPath },
        },
      ],
      appClusters: [
        {
          name: o.state.appCluster.name,
          clusterId: o.state.appCluster.clusterId,
          kubeconfigPath: o.state.appCluster.kubeconfigPath,
        },
      ],
      ...(o.graphTtlMs !== undefined
        ? { backend: { cache: { graphTtlMs: o.graphTtlMs } } }
        : {}),
    },
  };
}

export interface BackendStats {
  /** CPU time of the backend process (user + system) since it started. */
  cpuMs: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  calls: number;
  byCluster: Record<string, { total: number; byVerb: Record<string, number> }>;
  decisions: Record<string, number>;
  logs: { warn: number; error: number };
}

/** One running backend under test. */
export class BenchBackend extends EventEmitter {
  readonly url: string;
  #child: ChildProcess;
  #nextId = 0;
  #pending = new Map<number, (msg: any) => void>();
  #dir: string;
  exited = false;

  private constructor(child: ChildProcess, url: string, dir: string) {
    super();
    this.#child = child;
    this.url = url;
    this.#dir = dir;
    child.on('message', (msg: any) => {
      if (msg.id !== undefined) {
        this.#pending.get(msg.id)?.(msg);
        this.#pending.delete(msg.id);
      } else if (msg.event) {
        this.emit(msg.event, msg);
      }
    });
    child.on('exit', code => {
      this.exited = true;
      this.emit('exit', code);
      for (const resolve of this.#pending.values())
        resolve({ error: `backend exited with code ${code}` });
      this.#pending.clear();
    });
  }

  /** Forks the backend and waits until it listens. */
  static async start(o: BenchBackendOptions): Promise<BenchBackend> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-backend-'));
    const inFile = path.join(dir, 'in.json');
    fs.writeFileSync(
      inFile,
      JSON.stringify({
        config: backendConfig(o),
        floorKubeconfigs: o.state.controlPlanes
          .filter(cp => cp.running)
          .map(cp => cp.ingressKubeconfigPath),
        openGate: o.openGate ?? false,
        verbose: o.verbose ?? false,
      }),
      { mode: 0o600 },
    );
    const child = fork(path.join(__dirname, 'backendMain.ts'), [inFile], {
      execArgv: ['--expose-gc', '--no-deprecation', '--require', TRANSFORM],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    const backend = new BenchBackend(child, `http://127.0.0.1:${o.port}`, dir);
    await new Promise<void>((resolve, reject) => {
      backend.once('ready', () => resolve());
      backend.once('exit', code =>
        reject(
          new Error(`the backend exited with code ${code} while starting`),
        ),
      );
    });
    return backend;
  }

  call(op: string, args: Record<string, unknown> = {}): Promise<any> {
    if (this.exited) return Promise.reject(new Error('the backend has exited'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, msg =>
        msg.error ? reject(new Error(msg.error)) : resolve(msg),
      );
      this.#child.send({ ...args, id, op });
    });
  }

  /** One floor read in the backend's process (see floor.ts). */
  floor = (concurrency: number): Promise<FloorResult> =>
    this.call('floor', { concurrency });

  /** Opens the gate of the first full sync. */
  go = () => this.call('go');
  /** Triggers a full sync through the catalog's scheduler (as the scheduler's trigger endpoint does). */
  trigger = () => this.call('trigger');

  /** Memory after a full GC, the Upbound call counters and the permission decisions so far. */
  async stats(gcFirst = true): Promise<BackendStats> {
    if (gcFirst) {
      await this.call('gc');
      await this.call('gc');
    }
    return this.call('stats');
  }

  /** Waits for the next `event` (with a predicate), or throws after `timeoutMs`. */
  next<T = any>(
    event: string,
    timeoutMs: number,
    match: (msg: T) => boolean = () => true,
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off(event, listener);
        reject(
          new Error(`no ${event} from the backend within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      const listener = (msg: T) => {
        if (!match(msg)) return;
        clearTimeout(timer);
        this.off(event, listener);
        resolve(msg);
      };
      this.on(event, listener);
    });
  }

  async stop(): Promise<void> {
    if (!this.exited) {
      const exited = new Promise(r => this.once('exit', r));
      await this.call('stop').catch(() => {});
      await Promise.race([exited, new Promise(r => setTimeout(r, 15_000))]);
      if (!this.exited) this.#child.kill('SIGKILL');
    }
    fs.rmSync(this.#dir, { recursive: true, force: true });
  }

  // ---- HTTP, as the UI and other services call the backend

  async getJson(
    urlPath: string,
    token = STATIC_TOKEN,
  ): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.url}${urlPath}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const text = await res.text();
    let body: any;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return { status: res.status, body };
  }

  async postJson(urlPath: string, data: unknown, token = STATIC_TOKEN) {
    const res = await fetch(`${this.url}${urlPath}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(data),
    });
    return { status: res.status, body: await res.json() };
  }

  /** A Backstage user token from guest sign-in, as the app gets one. */
  async userToken(): Promise<string> {
    const res = await fetch(`${this.url}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    const body: any = await res.json();
    const token = body?.backstageIdentity?.token;
    if (!token)
      throw new Error(
        `guest sign-in answered ${res.status}: ${JSON.stringify(body).slice(
          0,
          300,
        )}`,
      );
    return token;
  }

  /** Number of entities of the Upbound provider the catalog API returns (processed and stitched). */
  async providerEntityCount(extraFilter = ''): Promise<number> {
    const q = new URLSearchParams({
      filter: `metadata.annotations.backstage.io/managed-by-origin-location=${PROVIDER_ORIGIN}${
        extraFilter ? `,${extraFilter}` : ''
      }`,
      limit: '1',
    });
    const { status, body } = await this.getJson(
      `/api/catalog/entities/by-query?${q}`,
    );
    if (status !== 200) throw new Error(`catalog by-query answered ${status}`);
    return body.totalItems;
  }

  /** Entities whose `upbound.io/name` is `name`. */
  async entitiesNamed(name: string, fields?: string): Promise<any[]> {
    const q = new URLSearchParams({
      filter: `metadata.annotations.upbound.io/name=${name}`,
      ...(fields ? { fields } : {}),
    });
    const { status, body } = await this.getJson(
      `/api/catalog/entities/by-query?${q}`,
    );
    if (status !== 200) throw new Error(`catalog by-query answered ${status}`);
    return body.items;
  }

  /** Entities of claims (or XRs) in control plane namespace `namespace`. */
  async entitiesIn(namespace: string, fields?: string): Promise<any[]> {
    const q = new URLSearchParams({
      filter: `metadata.annotations.upbound.io/namespace=${namespace}`,
      ...(fields ? { fields } : {}),
    });
    const { status, body } = await this.getJson(
      `/api/catalog/entities/by-query?${q}`,
    );
    if (status !== 200) throw new Error(`catalog by-query answered ${status}`);
    return body.items;
  }

  /** Which of `refs` the catalog API does not return. */
  async missingRefs(refs: string[]): Promise<string[]> {
    const missing: string[] = [];
    for (let i = 0; i < refs.length; i += 500) {
      const batch = refs.slice(i, i + 500);
      const { status, body } = await this.postJson(
        '/api/catalog/entities/by-refs',
        { entityRefs: batch, fields: ['kind', 'metadata.name'] },
      );
      if (status !== 200)
        throw new Error(
          `catalog by-refs answered ${status}: ${JSON.stringify(body).slice(
            0,
            300,
          )}`,
        );
      body.items.forEach((e: unknown, j: number) => {
        if (!e) missing.push(batch[j]);
      });
    }
    return missing;
  }
}
