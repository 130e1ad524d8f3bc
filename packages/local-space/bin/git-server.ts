#!/usr/bin/env node
// The local Space's Git server: bare repositories under --root served over smart HTTP (clone, fetch and push) by
// Git's own `git http-backend` (CGI) behind a TLS server on 127.0.0.1. Flux and Argo CD clone from it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    root: { type: 'string' },
    port: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
  },
});
for (const k of ['root', 'port', 'cert', 'key'] as const) {
  if (!values[k]) {
    process.stderr.write(`git-server: --${k} is required\n`);
    process.exit(2);
  }
}

const BACKEND = '/usr/lib/git-core/git-http-backend';
// Checked above.
const { root, port, cert, key } = values as Record<'root' | 'port' | 'cert' | 'key', string>;

/** Runs one request through git http-backend and relays its CGI response (headers, then body). */
function serveGit(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'https://localhost');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    // Clients gzip request bodies and negotiate protocol v2 through these headers.
    HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
    GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
  };
  if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length'];
  const cgi = spawn(BACKEND, [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let head = Buffer.alloc(0);
  let headersDone = false;
  cgi.stdout.on('data', chunk => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    headersDone = true;
    let statusCode = 200;
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
      const i = line.indexOf(':');
      if (i < 0) continue;
      const name = line.slice(0, i).trim();
      const value = line.slice(i + 1).trim();
      if (name.toLowerCase() === 'status') statusCode = Number(value.split(' ')[0]);
      else headers[name] = value;
    }
    res.writeHead(statusCode, headers);
    res.write(head.subarray(end + 4));
  });
  cgi.stdout.on('end', () => res.end());
  cgi.stderr.on('data', d => process.stderr.write(d));
  cgi.on('error', err => {
    if (!res.headersSent) res.writeHead(500);
    res.end(`git http-backend failed: ${err.message}`);
  });
  req.pipe(cgi.stdin);
  cgi.stdin.on('error', () => {});
}

const server = https.createServer(
  { cert: fs.readFileSync(cert), key: fs.readFileSync(key) },
  (req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    process.stdout.write(`${new Date().toISOString()} ${req.method} ${req.url}\n`);
    serveGit(req, res);
  },
);
server.listen(Number(port), '127.0.0.1', () => {
  process.stdout.write(`git server on https://127.0.0.1:${port}/ serving ${root}\n`);
});
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => server.close(() => process.exit(0)));
