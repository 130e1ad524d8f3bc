import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ClusterConnection } from '../config/types';
import { DefaultKubeClient } from '../kube/DefaultKubeClient';
import {
  KubeTransport,
  type KubeFetch,
  type KubeTransportOptions,
} from '../kube/KubeTransport';
import type { ClusterCallStats } from '../types';

/** Options of {@link KubeClientPool}: what every client and transport of one service shares. */
export interface KubeClientPoolOptions {
  /** Max in-flight calls per cluster. */
  concurrency: number;
  /** Per-request timeout. */
  timeoutMs: number;
  logger: LoggerService;
  fetch?: KubeFetch;
  sleep?: (ms: number) => Promise<void>;
  now: () => number;
}

/**
 * The clients and transports of one Upbound service. A client is kept per cluster id and server,
 * across discoveries, so its discovery cache and call counters survive a refresh.
 */
export class KubeClientPool {
  readonly #options: KubeClientPoolOptions;
  readonly #clients = new Map<string, DefaultKubeClient>();
  readonly #transports = new Set<KubeTransport>();

  constructor(options: KubeClientPoolOptions) {
    this.#options = options;
  }

  #shared(): Pick<
    KubeTransportOptions,
    'concurrency' | 'timeoutMs' | 'fetch' | 'sleep' | 'logger'
  > {
    const { concurrency, timeoutMs, fetch, sleep, logger } = this.#options;
    return { concurrency, timeoutMs, fetch, sleep, logger };
  }

  /** A bare transport (for REST APIs that are not Kubernetes: Upbound, Argo CD). */
  transport(
    options: Pick<
      KubeTransportOptions,
      'clusterId' | 'connection' | 'tokenProvider'
    >,
  ): KubeTransport {
    const t = new KubeTransport({ ...this.#shared(), ...options });
    this.#transports.add(t);
    return t;
  }

  /** The client of one cluster, created on first use. */
  client(
    clusterId: string,
    connection: ClusterConnection,
    tokenProvider?: KubeTransportOptions['tokenProvider'],
  ): DefaultKubeClient {
    const key = `${clusterId}\u0000${connection.server}\u0000${
      connection.caData ?? ''
    }`;
    let client = this.#clients.get(key);
    if (!client) {
      client = new DefaultKubeClient({
        ...this.#shared(),
        clusterId,
        connection,
        now: this.#options.now,
        ...(tokenProvider ? { tokenProvider } : {}),
      });
      this.#clients.set(key, client);
    }
    return client;
  }

  /** Call counters by cluster id. */
  stats(): Record<string, ClusterCallStats> {
    const out: Record<string, ClusterCallStats> = {};
    for (const t of this.#transports) out[t.clusterId] = t.stats();
    for (const c of this.#clients.values()) out[c.clusterId] = c.stats();
    return out;
  }
}
