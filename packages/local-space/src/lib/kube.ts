// Kubeconfig files and a small request layer over @kubernetes/client-node's KubeConfig (auth and TLS),
// with a keep-alive agent, retries and a discovery cache, fast enough to seed thousands of objects.
import { ApiException, KubeConfig } from '@kubernetes/client-node';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { stringify } from 'yaml';

/**
 * A Kubernetes object as fixtures and API servers give it: the fields seeding reads are typed, the rest is
 * whatever the object's kind holds.
 * @public
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid?: string; [field: string]: unknown }>;
    [field: string]: unknown;
  };
  [field: string]: any;
}

/** What a kubeconfig written by {@link writeKubeconfig} or {@link kubeconfigYaml} names. @public */
export interface KubeconfigOptions {
  /** The name of its one cluster, user and context. */
  name: string;
  server: string;
  token: string;
  /** Default namespace of the context. */
  namespace?: string;
}

/** Writes a kubeconfig (mode 0600) with one cluster, user and context, all called `name`. @public */
export function writeKubeconfig(file: string, { name, server, caFile, token, namespace }: KubeconfigOptions & { caFile: string }): string {
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

/** The same kubeconfig as YAML text, for a Secret or a fixture. @public */
export function kubeconfigYaml({ name, server, caPem, token, namespace }: KubeconfigOptions & { caPem: string }): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: name, ...(namespace ? { namespace } : {}) } }],
    'current-context': name,
  });
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/** One response of the API server: its status and its JSON body (a non-JSON body as `{ message }`). @public */
export interface KubeResponse<T = any> {
  status: number;
  body: T;
}

/** The API resource serving a kind, from discovery. @public */
export interface KubeResource {
  /** `/api/v1` or `/apis/<group>/<version>`. */
  base: string;
  plural: string;
  namespaced: boolean;
  /** Subresource names (`status`, `scale`, ...). */
  subresources: string[];
}

interface DiscoveryList {
  resources: Array<{ name: string; kind: string; namespaced: boolean }>;
}

/**
 * Requests against one API server, authenticated from a kubeconfig file. A failed request throws
 * client-node's `ApiException` (`code` is the HTTP status, `body` the API server's Status), as client-node's
 * own API clients do.
 * @public
 */
export class KubeRequester {
  /** `maxSockets` bounds the requests in flight to this API server. */
  static async fromFile(file: string, { maxSockets = 32 }: { maxSockets?: number } = {}): Promise<KubeRequester> {
    const kc = new KubeConfig();
    kc.loadFromFile(file);
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error(`${file} names no current cluster`);
    const opts: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(opts);
    return new KubeRequester(new URL(cluster.server), opts, maxSockets);
  }

  /** Cached discovery documents, by group-version path; callers clear it after adding CRDs. */
  readonly discovery = new Map<string, Promise<DiscoveryList>>();
  private readonly server: URL;
  private readonly basePath: string;
  private readonly headers: https.RequestOptions['headers'];
  private readonly agent: https.Agent;

  private constructor(server: URL, opts: https.RequestOptions, maxSockets: number) {
    this.server = server;
    this.basePath = server.pathname.replace(/\/$/, '');
    this.headers = { ...opts.headers };
    this.agent = new https.Agent({ keepAlive: true, maxSockets, ca: opts.ca, cert: opts.cert, key: opts.key });
  }

  close(): void {
    this.agent.destroy();
  }

  /** One request, no retries; resolves with any status. */
  once<T = any>(method: string, reqPath: string, body?: unknown, contentType?: string): Promise<KubeResponse<T>> {
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
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json;
            try {
              json = text ? JSON.parse(text) : undefined;
            } catch {
              json = { message: text };
            }
            resolve({ status: res.statusCode ?? 0, body: json });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  /** One request with retries on throttling, server errors and reset connections; throws `ApiException` on failure. */
  async request<T = any>(method: string, reqPath: string, body?: unknown, contentType?: string): Promise<T> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 6; attempt++) {
      if (attempt > 0) await sleep(100 * 2 ** attempt);
      let res: KubeResponse;
      try {
        res = await this.once(method, reqPath, body, contentType);
      } catch (e) {
        lastError = e;
        continue;
      }
      if (res.status >= 200 && res.status < 300) return res.body;
      lastError = new ApiException(
        res.status,
        `${method} ${reqPath}: ${res.body?.message ?? JSON.stringify(res.body)}`,
        res.body,
        {},
      );
      if (!RETRYABLE.has(res.status)) throw lastError;
    }
    throw lastError;
  }

  /**
   * The API resource (plural, namespaced) for a kind, from API discovery. A CRD that was just Established can
   * be missing from discovery for a moment (more so on a loaded machine): that is retried for a few seconds.
   */
  async resourceFor(apiVersion: string, kind: string, { timeoutMs = 15000 } = {}): Promise<KubeResource> {
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let list = this.discovery.get(base);
      if (!list) {
        list = this.request<DiscoveryList>('GET', base);
        this.discovery.set(base, list);
        list.catch(() => this.discovery.delete(base));
      }
      let resources: DiscoveryList['resources'] | undefined;
      try {
        resources = (await list).resources;
      } catch (e) {
        if (!(e instanceof ApiException && e.code === 404) || Date.now() > deadline) throw e;
      }
      const resource = resources?.find(r => r.kind === kind && !r.name.includes('/'));
      if (resources && resource) {
        return {
          base,
          plural: resource.name,
          namespaced: resource.namespaced,
          subresources: resources.filter(r => r.name.startsWith(`${resource.name}/`)).map(r => r.name.split('/')[1]),
        };
      }
      if (Date.now() > deadline) throw new Error(`API server does not serve ${kind} in ${apiVersion}`);
      if (this.discovery.get(base) === list) this.discovery.delete(base);
      await sleep(200);
    }
  }

  /** The object's path on the API server, and the resource serving it. */
  async objectPath(obj: KubeObject): Promise<{ path: string; resource: KubeResource }> {
    const r = await this.resourceFor(obj.apiVersion, obj.kind);
    const ns = r.namespaced ? `/namespaces/${encodeURIComponent(obj.metadata.namespace ?? 'default')}` : '';
    return { path: `${r.base}${ns}/${r.plural}/${encodeURIComponent(obj.metadata.name)}`, resource: r };
  }

  /**
   * Server-side apply of `obj`; its `status`, if any, is applied through the status subresource when the
   * resource has one. `inlineStatus` sends the status in the one request (for a resource served without
   * its status subresource while seeding). Returns the object as stored.
   */
  async apply(obj: KubeObject, fieldManager = 'local-space', { inlineStatus = false } = {}): Promise<KubeObject> {
    const { status, ...spec } = obj;
    const { path: objPath, resource } = await this.objectPath(obj);
    const query = `?fieldManager=${fieldManager}&force=true`;
    let applied = await this.request<KubeObject>('PATCH', objPath + query, inlineStatus ? obj : spec, 'application/apply-patch+yaml');
    if (!inlineStatus && status && Object.keys(status).length && resource.subresources.includes('status')) {
      const statusBody = { apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace }, status };
      applied = await this.request<KubeObject>('PATCH', `${objPath}/status${query}`, statusBody, 'application/apply-patch+yaml');
    }
    return applied;
  }
}
