/**
 * A small keep-alive HTTPS client for one API server, read from a kubeconfig (server, CA, bearer
 * token): what the floor, the freshness writes and the bench objects need, and nothing more. One
 * https.Agent per server with keepAlive, so every request after the first reuses a TLS session.
 */
import fs from 'node:fs';
import https from 'node:https';
import { parse } from 'yaml';

export interface KubeResponse {
  status: number;
  body: any;
  bytes: number;
}

export class KubeHttp {
  readonly server: URL;
  readonly #agent: https.Agent;
  readonly #token: string;
  readonly #base: string;
  readonly #plurals = new Map<string, Promise<Map<string, any>>>();

  /** A client for the current context of `kubeconfigPath`; `maxSockets` bounds concurrent requests. */
  static fromKubeconfig(kubeconfigPath: string, maxSockets = 16): KubeHttp {
    const kc = parse(fs.readFileSync(kubeconfigPath, 'utf8'));
    const ctx = kc.contexts.find(
      (c: any) => c.name === kc['current-context'],
    ).context;
    const cluster = kc.clusters.find(
      (c: any) => c.name === ctx.cluster,
    ).cluster;
    const user = kc.users.find((u: any) => u.name === ctx.user).user;
    return new KubeHttp(
      cluster.server,
      Buffer.from(cluster['certificate-authority-data'], 'base64'),
      user.token,
      maxSockets,
    );
  }

  constructor(server: string, ca: Buffer, token: string, maxSockets: number) {
    this.server = new URL(server);
    this.#base = this.server.pathname.replace(/\/$/, '');
    this.#token = token;
    this.#agent = new https.Agent({ keepAlive: true, maxSockets, ca });
  }

  close() {
    this.#agent.destroy();
  }

  /** One request; the body is parsed with JSON.parse (the floor counts that work too). */
  async request(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<KubeResponse> {
    try {
      return await this.#send(method, path, body, contentType);
    } catch (e: any) {
      // A kept-alive socket the server closed while idle (its FIN not yet seen by a busy event
      // loop) fails the next request at once; Node's documented remedy is one retry of an
      // idempotent request on a reused socket.
      if (method !== 'GET' || !e?.reusedSocket) throw e;
      return this.#send(method, path, body, contentType);
    }
  }

  #send(
    method: string,
    path: string,
    body: unknown,
    contentType: string,
  ): Promise<KubeResponse> {
    const payload =
      body === undefined
        ? undefined
        : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          host: this.server.hostname,
          port: this.server.port,
          path: this.#base + path,
          method,
          agent: this.#agent,
          headers: {
            authorization: `Bearer ${this.#token}`,
            accept: 'application/json',
            ...(payload
              ? {
                  'content-type': contentType,
                  'content-length': payload.length,
                }
              : {}),
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () => {
            const buf = Buffer.concat(chunks);
            let parsed: any;
            try {
              parsed = buf.length
                ? JSON.parse(buf.toString('utf8'))
                : undefined;
            } catch {
              parsed = { message: buf.toString('utf8').slice(0, 500) };
            }
            resolve({
              status: res.statusCode ?? 0,
              body: parsed,
              bytes: buf.length,
            });
          });
          res.on('error', reject);
        },
      );
      req.on('error', e =>
        reject(Object.assign(e, { reusedSocket: req.reusedSocket })),
      );
      if (payload) req.write(payload);
      req.end();
    });
  }

  /** A request that must succeed (2xx); throws with the API server's message otherwise. */
  async ok(
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<any> {
    const res = await this.request(method, path, body, contentType);
    if (res.status < 200 || res.status >= 300)
      throw new Error(
        `${method} ${path} answered ${res.status}: ${res.body?.message ?? ''}`,
      );
    return res.body;
  }

  /** The API resource of `kind` in `apiVersion`, from API discovery (cached per group version). */
  async resource(
    apiVersion: string,
    kind: string,
  ): Promise<{
    base: string;
    plural: string;
    namespaced: boolean;
    status: boolean;
  }> {
    const base = apiVersion.includes('/')
      ? `/apis/${apiVersion}`
      : `/api/${apiVersion}`;
    let list = this.#plurals.get(base);
    if (!list) {
      list = this.ok('GET', base).then(
        (d: any) => new Map(d.resources.map((r: any) => [r.name, r])),
      );
      this.#plurals.set(base, list);
    }
    const resources = await list;
    const r = [...resources.values()].find(
      x => x.kind === kind && !x.name.includes('/'),
    );
    if (!r) throw new Error(`${apiVersion} does not serve ${kind}`);
    return {
      base,
      plural: r.name,
      namespaced: r.namespaced,
      status: resources.has(`${r.name}/status`),
    };
  }

  /** Server-side apply of `obj` (and of its status through the status subresource). */
  async apply(obj: any, fieldManager = 'bench'): Promise<any> {
    const r = await this.resource(obj.apiVersion, obj.kind);
    const ns = r.namespaced
      ? `/namespaces/${encodeURIComponent(obj.metadata.namespace ?? 'default')}`
      : '';
    const path = `${r.base}${ns}/${r.plural}/${encodeURIComponent(
      obj.metadata.name,
    )}`;
    const query = `?fieldManager=${fieldManager}&force=true`;
    const { status, ...spec } = obj;
    let applied = await this.ok(
      'PATCH',
      path + query,
      spec,
      'application/apply-patch+yaml',
    );
    if (status && r.status) {
      applied = await this.ok(
        'PATCH',
        `${path}/status${query}`,
        {
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          metadata: {
            name: obj.metadata.name,
            namespace: obj.metadata.namespace,
          },
          status,
        },
        'application/apply-patch+yaml',
      );
    }
    return applied;
  }
}
