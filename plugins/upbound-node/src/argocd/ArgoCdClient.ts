import type { ArgoCdConfig } from '../config/types';
import type { KubeTransport } from '../kube/KubeTransport';
import type { KubeClientPool } from '../service/KubeClientPool';
import type { ArgoCdInstance } from '../types';

/**
 * A client of one Argo CD REST API (`/api/v1/...`), through the access layer's transport: the
 * same retries, timeouts and call counters as every cluster call, and its token stays inside.
 */
export class ArgoCdClient {
  readonly #transport: KubeTransport;

  constructor(transport: KubeTransport) {
    this.#transport = transport;
  }

  /** The client of a configured instance with a REST API URL, made through the pool. */
  static forInstance(
    config: ArgoCdConfig & { url: string },
    pool: KubeClientPool,
  ): ArgoCdClient {
    return new ArgoCdClient(
      pool.transport({
        clusterId: `argocd/${config.name}`,
        connection: {
          server: config.url,
          ...(config.token ? { token: config.token } : {}),
        },
      }),
    );
  }

  /** One JSON call; `path` is relative to the API base URL. */
  request(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<unknown> {
    return this.#transport.requestJson({
      method,
      path: path.startsWith('/') ? path : `/${path}`,
      verb: method === 'GET' ? 'get' : 'post',
      ...(body !== undefined
        ? { body: JSON.stringify(body), contentType: 'application/json' }
        : {}),
    });
  }
}

/** The configured Argo CD instances; one with a REST API URL can be called through `request`. */
export function argoCdInstances(
  configs: ArgoCdConfig[],
  pool: KubeClientPool,
): ArgoCdInstance[] {
  return configs.map(a => {
    const instance: ArgoCdInstance = {
      name: a.name,
      appCluster: a.appCluster,
      namespace: a.namespace,
      ...(a.appClusterServer ? { appClusterServer: a.appClusterServer } : {}),
    };
    if (a.url) {
      const client = ArgoCdClient.forInstance({ ...a, url: a.url }, pool);
      instance.url = a.url;
      instance.request = (method, path, body) =>
        client.request(method, path, body);
    }
    return instance;
  });
}
