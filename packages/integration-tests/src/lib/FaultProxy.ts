import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { selfSignedCert } from './selfSignedCert';

/** What the proxy does to requests for the targeted control plane. */
export type Fault =
  | { kind: 'none' }
  /** Answer with this status and a Kubernetes Status body (401, 403, 429, 500, ...). */
  | { kind: 'status'; status: number; retryAfterSeconds?: number; message?: string }
  /** Hold every request this long before forwarding it. */
  | { kind: 'slow'; delayMs: number }
  /** Destroy connections, as when the API server process is gone. */
  | { kind: 'down' }
  /** Close every open watch with a 410 Gone ERROR event, once (then requests pass again). */
  | { kind: 'gone' };

/** Options of {@link FaultProxy.start}. */
export interface FaultProxyOptions {
  /** https URL the proxy forwards to (the Space ingress). */
  upstream: string;
  /** PEM CA of the upstream. */
  upstreamCa: string;
  /** Path prefix the faults apply to (one control plane's `/k8s` path); other paths always pass. */
  target: string;
}

const GONE_EVENT = JSON.stringify({
  type: 'ERROR',
  object: {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'too old resource version',
    reason: 'Expired',
    code: 410,
  },
});

function isWatch(url: string): boolean {
  return /[?&]watch=(true|1)\b/.test(url);
}

/**
 * A TLS proxy in front of the Space ingress that injects faults into one control plane's path,
 * so the real access layer meets real 401/403/429/500 answers, slow answers, dropped connections
 * and expired watches. Counts the requests it sees.
 */
export class FaultProxy {
  /** PEM of the proxy's self-signed certificate (use it as the ingress caData). */
  readonly ca: string;
  /** `127.0.0.1:<port>` */
  host = '';
  #server?: https.Server;
  #fault: Fault = { kind: 'none' };
  /** Requests to start failing after (counted on the target from when the fault was set). */
  #failAfter = 0;
  #sinceFault = 0;
  readonly #sockets = new Set<Socket>();
  readonly #watches = new Map<http.ServerResponse, http.IncomingMessage>();
  /** Requests seen, per path class. */
  readonly counts = { target: 0, targetWatches: 0, other: 0, faulted: 0 };

  private constructor(private readonly options: FaultProxyOptions) {
    const { key, cert } = selfSignedCert();
    this.ca = cert;
    this.#server = https.createServer({ key, cert }, (req, res) =>
      this.#handle(req, res),
    );
    this.#server.on('connection', s => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
  }

  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const proxy = new FaultProxy(options);
    await new Promise<void>(resolve =>
      proxy.#server!.listen(0, '127.0.0.1', resolve),
    );
    proxy.host = `127.0.0.1:${(proxy.#server!.address() as AddressInfo).port}`;
    return proxy;
  }

  /** Sets the fault; with `afterRequests`, the first N target requests still pass (mid-sync). */
  setFault(fault: Fault, options: { afterRequests?: number } = {}) {
    this.#fault = fault.kind === 'gone' ? { kind: 'none' } : fault;
    this.#failAfter = options.afterRequests ?? 0;
    this.#sinceFault = 0;
    if (fault.kind === 'gone') {
      for (const [res, up] of this.#watches) {
        up.unpipe(res);
        up.destroy();
        res.end(`${GONE_EVENT}\n`);
      }
      this.#watches.clear();
    }
    if (fault.kind === 'down' && this.#failAfter === 0) this.#dropTarget();
  }

  clear() {
    this.setFault({ kind: 'none' });
  }

  #dropTarget() {
    for (const [res, up] of this.#watches) {
      up.destroy();
      res.socket?.destroy();
    }
    this.#watches.clear();
  }

  async stop(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>(resolve => this.#server?.close(() => resolve()));
    this.#server = undefined;
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = req.url ?? '/';
    const onTarget = url.startsWith(this.options.target);
    if (!onTarget) {
      this.counts.other++;
      this.#forward(req, res, false);
      return;
    }
    this.counts.target++;
    const watch = isWatch(url);
    if (watch) this.counts.targetWatches++;
    const fault = this.#fault;
    const active =
      fault.kind !== 'none' && this.#sinceFault++ >= this.#failAfter;
    if (!active) {
      this.#forward(req, res, watch);
      return;
    }
    this.counts.faulted++;
    switch (fault.kind) {
      case 'status': {
        const headers: Record<string, string> = {
          'Content-Type': 'application/json',
        };
        if (fault.retryAfterSeconds !== undefined)
          headers['Retry-After'] = String(fault.retryAfterSeconds);
        res.writeHead(fault.status, headers);
        res.end(
          JSON.stringify({
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            message: fault.message ?? `injected ${fault.status}`,
            code: fault.status,
          }),
        );
        return;
      }
      case 'slow': {
        const timer = setTimeout(
          () => this.#forward(req, res, watch),
          fault.delayMs,
        );
        res.on('close', () => clearTimeout(timer));
        return;
      }
      case 'down':
        req.socket.destroy();
        return;
      default:
        this.#forward(req, res, watch);
    }
  }

  /** Watches open through the proxy on the target right now. */
  get openWatches(): number {
    return this.#watches.size;
  }

  #forward(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    watch: boolean,
  ) {
    const upstream = new URL(this.options.upstream);
    const headers = { ...req.headers, host: upstream.host };
    const out = https.request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers,
        ca: this.options.upstreamCa,
      },
      up => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        if (watch) {
          this.#watches.set(res, up);
          res.on('close', () => {
            this.#watches.delete(res);
            up.destroy();
          });
        }
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  }
}
