// Detached server processes: each runs in its own process group so stop can end it with its children.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { connect, createServer } from 'node:net';
import path from 'node:path';

/**
 * A local process of the Space as state.json records it: `pid` is null until it started and after stop.
 * @public
 */
export interface LocalProcess {
  pid: number | null;
  port: number;
}

/** A process of the Space as status and stop list it: started, with a label. */
export interface ProcessEntry {
  label: string;
  pid: number;
  port: number | null;
}

/** Where start-up progress goes. */
export type Log = (line: string) => void;

/** Starts `command` in a new session (pgid = pid), output appended to `logFile`; `env` replaces the environment. */
export function spawnDetached(command: string, args: string[], logFile: string, env?: NodeJS.ProcessEnv): number {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd], env });
  fs.closeSync(fd);
  child.unref();
  if (child.pid === undefined) {
    // A missing binary: spawn also emits 'error' on the next tick, which would end the process unhandled.
    child.on('error', () => {});
    throw new Error(`could not start ${command} (not found or not executable)`);
  }
  return child.pid;
}

function cmdline(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

/** True when `pid` runs and is one of ours: its command line names the state dir (guards against pid reuse). */
export function isOurs(pid: number | null | undefined, stateDir: string): pid is number {
  if (!pid) return false;
  const cmd = cmdline(pid);
  return cmd !== undefined && cmd.includes(stateDir);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Ends the process group of `pid` (TERM, then KILL after `graceMs`). Safe when it is already gone. */
export async function stopProcess(pid: number, stateDir: string, graceMs = 5000): Promise<boolean> {
  if (!isOurs(pid, stateDir)) return false;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        // already gone
      }
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await sleep(50);
  if (alive(pid)) {
    signal('SIGKILL');
    while (alive(pid)) await sleep(50);
  }
  return true;
}

/** Resident memory of `pid` in MiB, or undefined. */
export function rssMiB(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

function get(url: string, ca?: string | Buffer): Promise<{ status: number; body: string }> {
  return new Promise(resolve => {
    const mod = url.startsWith('https:') ? https : http;
    const req = mod.get(url, { ca, timeout: 2000 }, res => {
      let body = '';
      res.on('data', c => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.on('timeout', () => req.destroy());
  });
}

function logTail(logFile: string, lines = 15): string {
  try {
    return fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Polls `url` until it answers 200, failing early with the log tail when the process exits. */
/** How long one process may take to become ready when it boots alone. */
export const READY_TIMEOUT_MS = 60_000;

/** The readiness wait for `count` processes booting together: they share the same cores. */
export function readyTimeoutFor(count: number): number {
  // A kube-apiserver needs several CPU seconds to boot; 40 of them on two cores need minutes, not one.
  return Math.max(READY_TIMEOUT_MS, count * 5_000);
}

export async function waitReady({ name, url, ca, pid, logFile, timeoutMs = READY_TIMEOUT_MS }: {
  name: string;
  url: string;
  /** PEM of the CA that signed the server's certificate, for https. */
  ca?: string | Buffer;
  pid: number | null;
  logFile: string;
  timeoutMs?: number;
}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await get(url, ca);
    if (res.status === 200) return;
    if (pid && !alive(pid)) {
      throw new Error(`${name} exited during start-up; last lines of ${logFile}:\n${logTail(logFile)}`);
    }
    await sleep(150);
  }
  throw new Error(`${name} was not ready at ${url} within ${timeoutMs} ms; see ${logFile}:\n${logTail(logFile)}`);
}

/** Throws, naming the ports, when any of `ports` is already taken on 127.0.0.1. */
export async function assertPortsFree(ports: number[]): Promise<void> {
  const taken: number[] = [];
  await Promise.all(ports.map(port => new Promise<void>(resolve => {
    const srv = createServer();
    srv.once('error', () => {
      taken.push(port);
      resolve();
    });
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve()));
  })));
  if (taken.length) {
    throw new Error(`ports ${taken.sort((a, b) => a - b).join(', ')} on 127.0.0.1 are in use; stop what uses them or pass another --base-port`);
  }
}

/**
 * Waits until 127.0.0.1:`port` accepts TCP connections; with `send`, until the answer to it starts with
 * `expect` (e.g. a Redis PING). Fails early, naming the log, when `pid` is no longer this Space's process.
 */
export async function waitTcp({ name, port, pid, stateDir, logFile, send, expect, timeoutMs = 30000 }: {
  name: string;
  port: number;
  pid: number | null;
  stateDir: string;
  logFile: string;
  send?: string;
  expect?: string;
  timeoutMs?: number;
}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>(resolve => {
      const s = connect(port, '127.0.0.1');
      s.setTimeout(1000, () => {
        s.destroy();
        resolve(false);
      });
      s.on('error', () => resolve(false));
      s.on('connect', () => {
        if (!send) {
          s.destroy();
          resolve(true);
        } else {
          s.write(send);
        }
      });
      s.on('data', d => {
        s.destroy();
        resolve(String(d).startsWith(expect ?? ''));
      });
    });
    if (ok) return;
    if (pid && !isOurs(pid, stateDir)) throw new Error(`${name} exited during start-up; see ${logFile}`);
    await sleep(150);
  }
  throw new Error(`${name} on 127.0.0.1:${port} (pid ${pid}) was not ready within ${timeoutMs} ms; see ${logFile}`);
}
