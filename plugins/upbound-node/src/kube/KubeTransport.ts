import http from 'node:http';
import https from 'node:https';
import nodeFetch, { type RequestInit, type Response } from 'node-fetch';
import pLimit from 'p-limit';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { KubeError, type ClusterCallStats } from '../types';
import type { ClusterConnection } from '../config/types';
import { errorFromNetwork, errorFromResponse } from './mapError';
import { recordKubeRequest } from '../metrics';

/** The fetch the transport uses; injectable for tests. @public */
export type KubeFetch = (url: string, init: RequestInit) => Promise<Response>;

/** Options of {@link KubeTransport}. @public */
export interface KubeTransportOptions {
  clusterId: string;
  connection: ClusterConnection;
  /** Bearer token source for clusters whose token changes (Upbound org-scoped tokens). */
  tokenProvider?: {
    getToken(): Promise<string>;
    /**
     * Called on 401 with the token that was refused, so the next getToken fetches a new one; the
     * call is retried once. A newer token that another call already fetched is kept.
     */
    invalidate(refusedToken?: string): void;
    /** Also send the token as this cookie (the Upbound API reads the session from `SID`). */
    cookieName?: string;
  };
  concurrency: number;
  timeoutMs: number;
  maxRetries?: number;
  logger?: LoggerService;
  fetch?: KubeFetch;
  sleep?: (ms: number) => Promise<void>;
}

/** One request through the transport. @public */
export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path under the server URL, including the query. Built with `resourcePath`/`withQuery`. */
  path: string;
  /** Verb for the call counters (list, get, watch, apply, patch, delete, discovery). */
  verb: string;
  body?: string;
  contentType?: string;
  accept?: string;
  timeoutMs?: number;
  /** Retry 5xx and network errors even for POST (safe for token exchanges and logins). */
  idempotent?: boolean;
}

/** A raw answer: body text and headers. @public */
export interface KubeTextResponse {
  status: number;
  text: string;
  header(name: string): string | undefined;
  /** All Set-Cookie values. */
  cookies: string[];
}

const MAX_BACKOFF_MS = 5_000;
const MAX_RETRY_AFTER_MS = 30_000;

function defaultSleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/**
 * The one place where HTTP to a cluster happens: TLS and bearer auth, the per-cluster concurrency
 * limit, timeouts, retries with backoff (429 honouring Retry-After on any verb; 5xx and network
 * errors on idempotent verbs only), error mapping to {@link KubeError} and call counters.
 * @public
 */
export class KubeTransport {
  readonly clusterId: string;
  readonly server: string;
  readonly #options: KubeTransportOptions;
  readonly #agent: http.Agent;
  readonly #limit: pLimit.Limit;
  readonly #fetch: KubeFetch;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #stats: ClusterCallStats = {
    total: 0,
    byVerb: {},
    byStatus: {},
    retries: 0,
  };
  #lastToken?: string;

  constructor(options: KubeTransportOptions) {
    this.#options = options;
    this.clusterId = options.clusterId;
    this.server = options.connection.server.replace(/\/+$/, '');
    const c = options.connection;
    this.#agent = this.server.startsWith('https:')
      ? new https.Agent({
          keepAlive: true,
          maxSockets: options.concurrency + 4,
          ...(c.caData ? { ca: c.caData } : {}),
          ...(c.certData ? { cert: c.certData } : {}),
          ...(c.keyData ? { key: c.keyData } : {}),
          ...(c.tlsServerName ? { servername: c.tlsServerName } : {}),
          rejectUnauthorized: !c.dangerouslySkipTLSVerify,
        })
      : new http.Agent({
          keepAlive: true,
          maxSockets: options.concurrency + 4,
        });
    this.#limit = pLimit(options.concurrency);
    this.#fetch = options.fetch ?? (nodeFetch as unknown as KubeFetch);
    this.#sleep = options.sleep ?? defaultSleep;
  }

  stats(): ClusterCallStats {
    return JSON.parse(JSON.stringify(this.#stats));
  }

  /** Calls in flight or queued under the concurrency limit. */
  get pending(): number {
    return this.#limit.activeCount + this.#limit.pendingCount;
  }

  /** Sends a request and returns the body text and headers. */
  async requestText(req: KubeRequest): Promise<KubeTextResponse> {
    return this.#limit(() =>
      this.#withRetries(req, async res => {
        const text = await res.text();
        const raw = res.headers.raw();
        return {
          status: res.status,
          text,
          header: (name: string) => res.headers.get(name) ?? undefined,
          cookies: raw['set-cookie'] ?? [],
        };
      }),
    );
  }

  /** Sends a request and parses the JSON answer. */
  async requestJson<T>(req: KubeRequest): Promise<T> {
    const text = await this.#limit(() =>
      this.#withRetries(req, async res => res.text()),
    );
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new KubeError({
        type: 'unknown',
        cluster: this.clusterId,
        path: req.path,
        message: `${req.method} ${req.path} on ${this.clusterId} returned a body that is not JSON`,
      });
    }
  }

  /**
   * Opens a streaming request (watch). Not counted against the concurrency limit, because it
   * stays open; retried like a GET until the response starts.
   */
  async stream(
    req: KubeRequest,
    signal: AbortSignal,
  ): Promise<NodeJS.ReadableStream> {
    return this.#withRetries(
      { ...req, timeoutMs: 0 },
      async res => res.body as NodeJS.ReadableStream,
      signal,
    );
  }

  async #headers(
    req: KubeRequest,
    refusedToken: string | undefined,
  ): Promise<{ headers: Record<string, string>; token?: string }> {
    const headers: Record<string, string> = {
      Accept: req.accept ?? 'application/json',
      'User-Agent': 'backstage-plugin-upbound',
    };
    if (req.contentType) headers['Content-Type'] = req.contentType;
    const provider = this.#options.tokenProvider;
    if (provider) {
      if (refusedToken !== undefined) {
        provider.invalidate(refusedToken || undefined);
      }
      const token = await provider.getToken();
      this.#lastToken = token;
      headers.Authorization = `Bearer ${token}`;
      if (provider.cookieName)
        headers.Cookie = `${provider.cookieName}=${token}`;
      return { headers, token };
    }
    if (this.#options.connection.token) {
      headers.Authorization = `Bearer ${this.#options.connection.token}`;
    }
    return { headers };
  }

  #count(verb: string, status: string, retry: boolean): void {
    const s = this.#stats;
    s.total++;
    s.byVerb[verb] = (s.byVerb[verb] ?? 0) + 1;
    s.byStatus[status] = (s.byStatus[status] ?? 0) + 1;
    if (retry) s.retries++;
    recordKubeRequest({ cluster: this.clusterId, verb, status, retry });
  }

  async #withRetries<T>(
    req: KubeRequest,
    read: (res: Response) => Promise<T>,
    outerSignal?: AbortSignal,
  ): Promise<T> {
    const maxRetries = this.#options.maxRetries ?? 3;
    const idempotent = req.idempotent ?? req.method !== 'POST';
    const timeoutMs = req.timeoutMs ?? this.#options.timeoutMs;
    let refreshedToken = false;
    /** The token a 401 refused; the next attempt asks for a newer one. */
    let refusedToken: string | undefined;
    for (let attempt = 0; ; attempt++) {
      const controller = new AbortController();
      let timedOut = false;
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              timedOut = true;
              controller.abort();
            }, timeoutMs)
          : undefined;
      const onOuterAbort = () => controller.abort();
      outerSignal?.addEventListener('abort', onOuterAbort);
      let error: KubeError;
      const { headers, token: usedToken } = await this.#headers(
        req,
        refusedToken,
      );
      refusedToken = undefined;
      try {
        const res = await this.#fetch(`${this.server}${req.path}`, {
          method: req.method,
          headers,
          body: req.body,
          agent: this.#agent,
          signal: controller.signal as RequestInit['signal'],
        });
        if (res.ok) {
          this.#count(req.verb, String(res.status), attempt > 0);
          // Keep the timer running while the body is read; streams clear it below.
          const result = await read(res);
          return result;
        }
        this.#count(req.verb, String(res.status), attempt > 0);
        error = errorFromResponse({
          cluster: this.clusterId,
          method: req.method,
          path: req.path,
          status: res.status,
          statusText: res.statusText,
          body: await res.text().catch(() => ''),
          retryAfter: res.headers.get('retry-after'),
          redact: [this.#options.connection.token, this.#lastToken],
        });
      } catch (e) {
        if (e instanceof KubeError) throw e;
        if (outerSignal?.aborted) throw e;
        this.#count(req.verb, timedOut ? 'timeout' : 'error', attempt > 0);
        error = errorFromNetwork({
          cluster: this.clusterId,
          method: req.method,
          path: req.path,
          error: e,
          timedOut,
          timeoutMs,
        });
      } finally {
        if (timer) clearTimeout(timer);
        outerSignal?.removeEventListener('abort', onOuterAbort);
      }

      const delay = this.#retryDelay(
        error,
        attempt,
        idempotent,
        refreshedToken,
      );
      if (delay === undefined || attempt >= maxRetries) {
        this.#options.logger?.debug(`Kubernetes call failed`, {
          cluster: this.clusterId,
          path: req.path,
          status: error.statusCode,
          type: error.type,
        });
        throw error;
      }
      if (error.type === 'unauthorized') {
        refreshedToken = true;
        refusedToken = usedToken ?? '';
      }
      await this.#sleep(delay);
    }
  }

  /** Delay before the next attempt, or undefined when the error is final. */
  #retryDelay(
    error: KubeError,
    attempt: number,
    idempotent: boolean,
    refreshedToken: boolean,
  ): number | undefined {
    const backoff =
      Math.min(MAX_BACKOFF_MS, 200 * 2 ** attempt) *
      (0.75 + Math.random() * 0.5);
    switch (error.type) {
      case 'rate-limited':
        return Math.min(MAX_RETRY_AFTER_MS, error.retryAfterMs ?? backoff);
      case 'server-error':
      case 'unreachable':
        return idempotent ? backoff : undefined;
      case 'unauthorized':
        // A rotated org-scoped token: fetch a new one and try once more.
        return this.#options.tokenProvider && !refreshedToken ? 0 : undefined;
      default:
        return undefined;
    }
  }
}
