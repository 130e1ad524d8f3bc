/**
 * A throw-away PostgreSQL for `--postgres` (Debian's `postgresql` package, as the integration tests
 * use it): its own data dir, trust auth on 127.0.0.1, no fsync. initdb refuses to run as root, so as
 * root the server runs as the `postgres` system user.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface BenchPostgres {
  host: string;
  port: number;
  user: string;
  version: string;
  stop(): void;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const dir = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .sort((a, b) => Number(b) - Number(a))
        .map(v => path.join(root, v, 'bin'))
        .find(d => fs.existsSync(path.join(d, 'pg_ctl')))
    : undefined;
  if (!dir)
    throw new Error(
      'PostgreSQL binaries not found in /usr/lib/postgresql; run scripts/ensure-system-packages.sh',
    );
  return dir;
}

export function startPostgres(port: number): BenchPostgres {
  const bin = binDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pg-'));
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
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } catch {
        // already stopped
      }
      started = false;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  try {
    run('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
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
    stop();
    throw new Error(
      `PostgreSQL did not start: ${e.stderr?.toString() ?? e.message}`,
    );
  }
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    version: path.basename(path.dirname(bin)),
    stop,
  };
}
