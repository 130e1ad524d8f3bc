/*
 * Two backend replicas as two processes on one real PostgreSQL (Debian's binaries, started here on
 * loopback with a throw-away data dir), with the Upbound provider's watches on: the full sync
 * (scope global) runs once per period across both, either serves the Upbound API, and when the
 * replica that runs the sync stops, the other takes the sync over and starts its watches.
 */
import { describeIf, describeIfLocalSpace, getLocalSpace } from '@internal/local-space';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { DEV_ID, eventually, spaceConfig } from './lib/harness';
import { postgresBinDir, startPostgres, type TestPostgres } from './lib/postgres';

const PERIOD_S = 3;
const SYNC_DONE = /^Read \d+ of \d+ control planes/;
const WATCHES = /^Started \d+ claim watches/;
const REPO = path.resolve(__dirname, '../../..');
const NODE_TRANSFORM = require.resolve('@backstage/cli/config/nodeTransform.cjs');

// Under CI=true a missing PostgreSQL or local Space fails the suite; elsewhere it is skipped.
const describeIfPostgres = postgresBinDir()
  ? describeIfLocalSpace
  : describeIf(false, 'PostgreSQL binaries not found in /usr/lib/postgresql');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A log line of a replica (JSON, as the production logger writes it). */
interface Line {
  replica: number;
  at: number;
  message: string;
}

class Replica {
  readonly lines: Line[] = [];
  exited?: Promise<number | null>;
  #child?: ChildProcess;
  #stdout = '';

  constructor(
    readonly index: number,
    readonly port: number,
    private readonly configFile: string,
  ) {}

  start() {
    this.#child = spawn(
      process.execPath,
      ['--require', NODE_TRANSFORM, path.join(__dirname, 'lib/replicaMain.ts'), '--config', this.configFile],
      { cwd: REPO, env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'debug' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.exited = new Promise(r => this.#child!.once('exit', code => r(code)));
    this.#child.stdout!.on('data', (d: Buffer) => {
      this.#stdout += d.toString('utf8');
      const parts = this.#stdout.split('\n');
      this.#stdout = parts.pop() ?? '';
      for (const part of parts) {
        try {
          const j = JSON.parse(part);
          this.lines.push({ replica: this.index, at: Date.parse(j.timestamp) || Date.now(), message: String(j.message) });
        } catch {
          // not a log line
        }
      }
    });
    this.#child.stderr!.on('data', () => {});
  }

  get running() {
    return !!this.#child && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Stops the process the way an orchestrator would (SIGTERM), and waits for it. */
  async stop() {
    if (this.running) {
      this.#child!.kill('SIGTERM');
      const timer = setTimeout(() => this.#child?.kill('SIGKILL'), 20_000);
      await this.exited;
      clearTimeout(timer);
    }
  }
}

describeIfPostgres('two replica processes on one PostgreSQL', () => {
  let pg: TestPostgres | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'upbound-it-replicas-'));
  const token = crypto.randomBytes(16).toString('hex');
  const replicas: Replica[] = [];

  beforeAll(async () => {
    pg = await startPostgres();
    const config = spaceConfig(getLocalSpace()!);
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const file = path.join(dir, `replica-${i}.yaml`);
      fs.writeFileSync(
        file,
        stringify({
          ...config,
          backend: {
            baseUrl: `http://127.0.0.1:${port}`,
            listen: { host: '127.0.0.1', port },
            database: { client: 'pg', connection: { host: pg.host, port: pg.port, user: pg.user } },
            auth: { externalAccess: [{ type: 'static', options: { token, subject: 'it-replicas' } }] },
          },
          catalog: {
            rules: [{ allow: ['Component', 'API', 'Resource', 'Location', 'Group', 'User', 'System'] }],
            providers: {
              upbound: {
                watch: true,
                schedule: { frequency: { seconds: PERIOD_S }, timeout: { seconds: 30 } },
              },
            },
          },
        }),
      );
      const replica = new Replica(i, port, file);
      replicas.push(replica);
      // One after the other: both create the plugin databases on first start.
      replica.start();
      await eventually(
        async () => {
          const res = await fetch(`http://127.0.0.1:${port}/api/upbound/health`).catch(() => undefined);
          return res?.ok ? true : undefined;
        },
        150_000,
        `replica ${i} answering /api/upbound/health`,
      );
    }
  });

  afterAll(async () => {
    try {
      for (const r of replicas) await r.stop();
    } finally {
      pg?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  function all(re: RegExp): Line[] {
    return replicas
      .flatMap(r => r.lines)
      .filter(l => re.test(l.message))
      .sort((a, b) => a.at - b.at);
  }

  it('runs each scheduled full sync once per period across both processes', async () => {
    await eventually(() => (all(SYNC_DONE).length > 0 ? true : undefined), 90_000, 'a first full sync');
    const start = all(SYNC_DONE)[0].at;
    const windowMs = PERIOD_S * 5 * 1000;
    await new Promise(r => setTimeout(r, windowMs));
    const runs = all(SYNC_DONE).filter(s => s.at >= start && s.at <= start + windowMs);
    // Once per period: never two runs of one period (one per replica), never a skipped stretch.
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.length).toBeLessThanOrEqual(windowMs / (PERIOD_S * 1000) + 1);
    for (let i = 1; i < runs.length; i++) {
      expect(runs[i].at - runs[i - 1].at).toBeGreaterThan(PERIOD_S * 1000 * 0.6);
    }
    // The replica that syncs also watches the claims.
    const syncing = new Set(runs.map(r => r.replica));
    expect(all(WATCHES).some(w => syncing.has(w.replica))).toBe(true);
  });

  it('serves the Upbound API from either process', async () => {
    for (const r of replicas) {
      const res = await fetch(`http://127.0.0.1:${r.port}/api/upbound/controlplanes`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as any;
      expect(body.items.find((i: any) => i.id === DEV_ID).counts.claimCount).toBeGreaterThan(0);
    }
  });

  it('when the syncing process stops, the other takes over the full sync and its watches', async () => {
    const last = all(SYNC_DONE).pop()!;
    const stopped = replicas[last.replica];
    const survivor = replicas[1 - last.replica];
    await stopped.stop();
    const stoppedAt = Date.now();
    const taken = await eventually(
      () => survivor.lines.find(l => SYNC_DONE.test(l.message) && l.at > stoppedAt),
      60_000,
      `replica ${survivor.index} running the full sync`,
    );
    // It keeps running it every period from then on, and watches the claims.
    await new Promise(r => setTimeout(r, PERIOD_S * 3 * 1000));
    const after = survivor.lines.filter(l => SYNC_DONE.test(l.message) && l.at >= taken.at);
    expect(after.length).toBeGreaterThanOrEqual(3);
    expect(survivor.lines.some(l => WATCHES.test(l.message))).toBe(true);
    expect(survivor.running).toBe(true);
  });
});
