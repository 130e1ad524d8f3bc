// Kubeconfig files and a small request layer over @kubernetes/client-node's KubeConfig (auth and TLS),
// with a keep-alive agent, retries and a discovery cache, fast enough to seed thousands of objects.
import { KubeConfig } from '@kubernetes/client-node';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { stringify } from 'yaml';

/** Writes a kubeconfig with one cluster, user and context, all called `name`. */
export function writeKubeconfig(file, { name, server, caFile, token, namespace }) {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': fs.readFileSync(caFile).toString('base64') } }],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: name, ...(namespace ? { namespace } : {}) } }],
    'current-context': name,
  };
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, stringify(doc), { mode: 0o600 });
  return file;
}

export function kubeconfigYaml({ name, server, caPem, token, namespace }) {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: name, ...(namespace ? { namespace } : {}) } }],
    'current-context': name,
  });
}

const sleep = ms => new Promise(r => setTimeout(r, ms));
const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/** An HTTP error from the API server, with the Status message. */
export class KubeError extends Error {
  constructor(method, reqPath, status, body) {
    super(`${method} ${reqPath} failed with ${status}: ${body?.message ?? JSON.stringify(body)}`);
    this.statusCode = status;
    this.body = body;
  }
}

/** Requests against one API server, authenticated from a kubeconfig file. */
export class KubeRequester {
  static async fromFile(file, { maxSockets = 32 } = {}) {
    const kc = new KubeConfig();
    kc.loadFromFile(file);
    const opts = {};
    await kc.applyToHTTPSOptions(opts);
    return new KubeRequester(new URL(kc.getCurrentCluster().server), opts, maxSockets);
  }

  constructor(server, opts, maxSockets) {
    this.server = server;
    this.basePath = server.pathname.replace(/\/$/, '');
    this.headers = { ...(opts.headers ?? {}) };
    this.agent = new https.Agent({ keepAlive: true, maxSockets, ca: opts.ca, cert: opts.cert, key: opts.key });
    this.discovery = new Map();
  }

  close() {
    this.agent.destroy();
  }

  once(method, reqPath, body, contentType) {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      const req = https.request(
        {
          host: this.server.hostname,
          port: this.server.port,
          path: this.basePath + reqPath,
          method,
          agent: this.agent,
          headers: {
            ...this.headers,
            accept: 'application/json',
            ...(payload ? { 'content-type': contentType ?? 'application/json', 'content-length': payload.length } : {}),
          },
        },
        res => {
          const chunks = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json;
            try {
              json = text ? JSON.parse(text) : undefined;
            } catch {
              json = { message: text };
            }
            resolve({ status: res.statusCode, body: json });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  /** One request with retries on throttling, server errors and reset connections; throws KubeError on failure. */
  async request(method, reqPath, body, contentType) {
    let lastError;
    for (let attempt = 0; attempt < 6; attempt++) {
      if (attempt > 0) await sleep(100 * 2 ** attempt);
      let res;
      try {
        res = await this.once(method, reqPath, body, contentType);
      } catch (e) {
        lastError = e;
        continue;
      }
      if (res.status >= 200 && res.status < 300) return res.body;
      lastError = new KubeError(method, reqPath, res.status, res.body);
      if (!RETRYABLE.has(res.status)) throw lastError;
    }
    throw lastError;
  }

  /**
   * The API resource (plural, namespaced) for a kind, from API discovery. A CRD that was just Established can
   * be missing from discovery for a moment (more so on a loaded machine): that is retried for a few seconds.
   */
  async resourceFor(apiVersion, kind, { timeoutMs = 15000 } = {}) {
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let list = this.discovery.get(base);
      if (!list) {
        list = this.request('GET', base);
        this.discovery.set(base, list);
        list.catch(() => this.discovery.delete(base));
      }
      let resources;
      try {
        resources = (await list).resources;
      } catch (e) {
        if (e.statusCode !== 404 || Date.now() > deadline) throw e;
      }
      const resource = resources?.find(r => r.kind === kind && !r.name.includes('/'));
      if (resource) {
        return { base, plural: resource.name, namespaced: resource.namespaced, subresources: resources.filter(r => r.name.startsWith(`${resource.name}/`)).map(r => r.name.split('/')[1]) };
      }
      if (Date.now() > deadline) throw new Error(`API server does not serve ${kind} in ${apiVersion}`);
      if (this.discovery.get(base) === list) this.discovery.delete(base);
      await sleep(200);
    }
  }

  async objectPath(obj) {
    const r = await this.resourceFor(obj.apiVersion, obj.kind);
    const ns = r.namespaced ? `/namespaces/${encodeURIComponent(obj.metadata.namespace ?? 'default')}` : '';
    return { path: `${r.base}${ns}/${r.plural}/${encodeURIComponent(obj.metadata.name)}`, resource: r };
  }

  /**
   * Server-side apply of `obj`; its `status`, if any, is applied through the status subresource when the
   * resource has one. `inlineStatus` sends the status in the one request (for a resource served without
   * its status subresource while seeding).
   */
  async apply(obj, fieldManager = 'local-space', { inlineStatus = false } = {}) {
    const { status, ...spec } = obj;
    const { path: objPath, resource } = await this.objectPath(obj);
    const query = `?fieldManager=${fieldManager}&force=true`;
    let applied = await this.request('PATCH', objPath + query, inlineStatus ? obj : spec, 'application/apply-patch+yaml');
    if (!inlineStatus && status && Object.keys(status).length && resource.subresources.includes('status')) {
      const statusBody = { apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace }, status };
      applied = await this.request('PATCH', `${objPath}/status${query}`, statusBody, 'application/apply-patch+yaml');
    }
    return applied;
  }
}
