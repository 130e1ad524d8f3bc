// The Space ingress: TLS, bearer token check, and routing of
// /apis/spaces.upbound.io/v1beta1/namespaces/<group>/controlplanes/<name>/k8s/<rest> to that control
// plane's API server. Other paths go to the hub. Responses stream, so watches work through it.
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';

/** Where the ingress sends each request, and the tokens it accepts. */
export interface IngressRoutes {
  hub: { url: string; token: string };
  /** By `<group>/<name>`; `url` is null for a control plane without API server. */
  controlPlanes: Record<string, { url: string | null; adminToken: string; ingressToken: string }>;
}

/** The routes file that `start` writes and the ingress process reads. */
export interface IngressConfig {
  port: number;
  certFile: string;
  keyFile: string;
  caFile: string;
  routes: IngressRoutes;
}

const CONTROL_PLANE_PATH =
  /^\/apis\/spaces\.upbound\.io\/v1beta1\/namespaces\/([^/]+)\/controlplanes\/([^/]+)\/k8s(\/[^?]*)?(\?.*)?$/;
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host', 'authorization'];

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function bearer(req: IncomingMessage): string | undefined {
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1].trim();
}

/**
 * Creates the ingress server. The hub token is accepted everywhere, an ingress token only for its own
 * control plane.
 */
export function createIngressServer({ cert, key, ca, routes }: {
  cert: Buffer;
  key: Buffer;
  ca: Buffer;
  routes: IngressRoutes;
}): https.Server {
  const agent = new https.Agent({ keepAlive: true, ca, maxSockets: 256 });
  const forward = (req: IncomingMessage, res: ServerResponse, target: URL, token: string, label: string) => {
    const headers = { ...req.headers };
    for (const h of HOP_BY_HOP) delete headers[h];
    headers.authorization = `Bearer ${token}`;
    const upstream = https.request(target, { method: req.method, headers, agent }, up => {
      const out = { ...up.headers };
      for (const h of ['connection', 'keep-alive', 'transfer-encoding']) delete out[h];
      res.writeHead(up.statusCode ?? 502, out);
      res.flushHeaders();
      up.pipe(res);
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      if (!res.headersSent) {
        status(res, 503, 'ServiceUnavailable', `${label} is unreachable: ${err.code ?? err.message}`);
      } else {
        res.destroy(err);
      }
    });
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  };

  const server = https.createServer({ cert, key }, (req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    const token = bearer(req);
    const isHub = token === routes.hub.token;
    const m = CONTROL_PLANE_PATH.exec(req.url ?? '/');
    if (!token || (!isHub && !Object.values(routes.controlPlanes).some(cp => cp.ingressToken === token))) {
      status(res, 401, 'Unauthorized', 'Unauthorized');
      return;
    }
    if (!m) {
      if (!isHub) {
        status(res, 403, 'Forbidden', 'this token is scoped to one control plane and cannot access the Space API');
        return;
      }
      forward(req, res, new URL(req.url ?? '/', routes.hub.url), routes.hub.token, 'the Space hub');
      return;
    }
    const [, group, name, rest, query] = m;
    const cpKey = `${decodeURIComponent(group)}/${decodeURIComponent(name)}`;
    const cp = routes.controlPlanes[cpKey];
    if (!cp) {
      status(res, 404, 'NotFound', `controlplanes.spaces.upbound.io "${decodeURIComponent(name)}" not found`);
      return;
    }
    if (!isHub && cp.ingressToken !== token) {
      status(res, 403, 'Forbidden', `this token cannot access control plane ${cpKey}`);
      return;
    }
    if (!cp.url) {
      status(res, 503, 'ServiceUnavailable', `control plane ${cpKey} is not ready`);
      return;
    }
    forward(req, res, new URL(`${rest || '/'}${query ?? ''}`, cp.url), cp.adminToken, `control plane ${cpKey}`);
  });
  // Watches stay open for as long as the client wants.
  server.requestTimeout = 0;
  server.timeout = 0;
  server.keepAliveTimeout = 65000;
  return server;
}

/** Reads the routes file written by start and serves until killed. */
export function runIngressFromFile(routesFile: string): https.Server {
  const cfg: IngressConfig = JSON.parse(fs.readFileSync(routesFile, 'utf8'));
  const server = createIngressServer({
    cert: fs.readFileSync(cfg.certFile),
    key: fs.readFileSync(cfg.keyFile),
    ca: fs.readFileSync(cfg.caFile),
    routes: cfg.routes,
  });
  server.listen(cfg.port, '127.0.0.1', () => {
    process.stdout.write(`ingress listening on https://127.0.0.1:${cfg.port}\n`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return server;
}

