import type { LoggerService } from '@backstage/backend-plugin-api';
import { UpboundCloudAuth } from '../cloud/UpboundCloudAuth';
import { listCloudSpaces, type CloudSpace } from '../cloud/listCloudSpaces';
import type {
  ClusterConnection,
  OwnerConfig,
  UpboundCloudConfig,
  UpboundConfig,
} from '../config/types';
import type { KubeFetch, KubeTransport } from '../kube/KubeTransport';
import { resolveOwner } from '../owners/resolveOwner';
import type { KubeClientPool } from '../service/KubeClientPool';
import type { ControlPlane, ControlPlaneCredentials } from '../types';
import {
  discoverSpace,
  readSpaceIngress,
  type SpaceIngress,
} from './discoverSpace';
import { handOff, type DiscoveryJob, type DiscoverySource } from './types';

/** Options of {@link UpboundCloudSource}. */
export interface UpboundCloudSourceOptions {
  cloud: UpboundCloudConfig;
  endpoints: UpboundConfig['endpoints'];
  pool: KubeClientPool;
  owners: OwnerConfig;
  /** Control planes of one Space read in parallel. */
  concurrency: number;
  timeoutMs: number;
  logger: LoggerService;
  now: () => number;
  fetch?: KubeFetch;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Control planes of an Upbound Cloud organization: its Spaces (listed from the Upbound API unless
 * configured), each read through its ingress with the org-scoped token the PAT or robot token is
 * exchanged for.
 */
export class UpboundCloudSource implements DiscoverySource {
  readonly name = 'cloud';
  readonly title = 'Upbound Cloud Spaces';
  readonly #options: UpboundCloudSourceOptions;
  readonly #auth: UpboundCloudAuth;
  readonly #api: KubeTransport;

  constructor(options: UpboundCloudSourceOptions) {
    this.#options = options;
    const { cloud } = options;
    const auth = new UpboundCloudAuth({
      organization: cloud.organization,
      token: cloud.token,
      endpoints: options.endpoints,
      timeoutMs: options.timeoutMs,
      fetch: options.fetch,
      now: options.now,
      sleep: options.sleep,
      logger: options.logger,
    });
    this.#auth = auth;
    this.#api = options.pool.transport({
      clusterId: 'upbound-api',
      connection: { server: options.endpoints.api },
      tokenProvider: {
        getToken: () => auth.session(),
        invalidate: refused => auth.invalidateSession(refused),
        cookieName: 'SID',
      },
    });
  }

  async jobs(): Promise<DiscoveryJob[]> {
    const { cloud } = this.#options;
    let spaces: CloudSpace[];
    if (cloud.spaces) {
      // Explicit Spaces: their documented public host; no API listing needed.
      spaces = cloud.spaces.map(name => ({
        name,
        apiURL: `https://${name}.spaces.upbound.io`,
      }));
    } else {
      spaces = await listCloudSpaces(this.#api, cloud.organization);
    }
    return spaces.map(space => ({
      key: `cloud/${space.name}`,
      discover: () => this.#discover(space, !!cloud.spaces),
    }));
  }

  async credentials(cp: ControlPlane): Promise<ControlPlaneCredentials> {
    const token = await this.#auth.orgToken();
    return handOff(cp, token, this.#auth.orgTokenExpiresAt());
  }

  async #discover(
    space: CloudSpace,
    explicit: boolean,
  ): Promise<ControlPlane[]> {
    const { pool, owners, concurrency } = this.#options;
    const auth = this.#auth;
    const orgToken = {
      getToken: () => auth.orgToken(),
      invalidate: (refused?: string) => auth.invalidateOrgToken(refused),
    };
    let ingress: SpaceIngress;
    if (explicit) {
      ingress = { host: new URL(space.apiURL).host };
    } else {
      const apiClient = pool.client(
        `cloud-api/${space.name}`,
        { server: space.apiURL },
        {
          getToken: () => auth.session(),
          invalidate: refused => auth.invalidateSession(refused),
        },
      );
      ingress = await readSpaceIngress(apiClient, space.name);
    }
    const connection = (server: string): ClusterConnection => ({
      server,
      ...(ingress.caData ? { caData: ingress.caData } : {}),
    });
    const listClient = pool.client(
      `cloud/${space.name}`,
      connection(`https://${ingress.host}`),
      orgToken,
    );
    return discoverSpace({
      source: 'cloud',
      space: space.name,
      listClient,
      ingress,
      controlPlaneClient: (id, server) =>
        pool.client(id, connection(server), orgToken),
      owner: (obj, group) => resolveOwner(obj, owners, { namespace: group }),
      concurrency,
    });
  }
}
