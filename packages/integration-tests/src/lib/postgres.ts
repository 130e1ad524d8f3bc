import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A PostgreSQL server this process started on 127.0.0.1 with its own data dir. */
export interface TestPostgres {
  host: string;
  port: number;
  user: string;
  /** Stops the server and removes its data dir; safe to call twice. */
  stop(): void;
}

/** Debian's PostgreSQL binaries (`postgresql` package), newest version first. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  return fs
    .readdirSync(root)
    .sort((a, b) => Number(b) - Number(a))
    .map(v => path.join(root, v, 'bin'))
    .find(dir => fs.existsSync(path.join(dir, 'pg_ctl')));
}

function portFree(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * Starts a throw-away PostgreSQL (trust auth on loopback, no fsync). initdb refuses to run as
 * root, so as root the server runs as the `postgres` system user, which owns the data dir.
 */
export async function startPostgres(basePort = 25432): Promise<TestPostgres> {
  const bin = postgresBinDir();
  if (!bin) {
    throw new Error(
      'PostgreSQL binaries not found in /usr/lib/postgresql; run scripts/ensure-system-packages.sh',
    );
  }
  let port = basePort;
  while (!(await portFree(port))) port++;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'upbound-it-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const run = (cmd: string, args: string[]) =>
    execFileSync(
      asRoot ? 'runuser' : path.join(bin, cmd),
      asRoot ? ['-u', 'postgres', '--', path.join(bin, cmd), ...args] : args,
      { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir },
    );
  const data = path.join(dir, 'data');
  let started = false;
  const stop = () => {
    if (started) {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
      started = false;
    }
    fs.rmSync(dir, { recursive: true, force: true });
    process.removeListener('exit', stop);
  };
  process.once('exit', stop);
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    started = true;
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      path.join(dir, 'postgres.log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
      'start',
    ]);
  } catch (e: any) {
    const log = fs.existsSync(path.join(dir, 'postgres.log'))
      ? fs.readFileSync(path.join(dir, 'postgres.log'), 'utf8')
      : '';
    stop();
    throw new Error(
      `PostgreSQL did not start: ${e.stderr?.toString() ?? e.message} ${log}`,
    );
  }
  return { host: '127.0.0.1', port, user: 'postgres', stop };
}
