import { InputError } from '@backstage/errors';
import type {
  ClusterConnection,
  OwnerConfig,
  SpaceConfig,
} from '../config/types';
import { resolveOwner } from '../owners/resolveOwner';
import type { KubeClientPool } from '../service/KubeClientPool';
import type { ControlPlane, ControlPlaneCredentials } from '../types';
import { discoverSpace, readSpaceIngress } from './discoverSpace';
import { handOff, type DiscoveryJob, type DiscoverySource } from './types';

/** Options of {@link SpaceHubSource}. */
export interface SpaceHubSourceOptions {
  spaces: SpaceConfig[];
  pool: KubeClientPool;
  owners: OwnerConfig;
  /** Control planes of one Space read in parallel. */
  concurrency: number;
}

/**
 * Control planes of self-hosted and disconnected Spaces: listed through each Space's hub, reached
 * through its ingress with the Space's token (or the hub's client certificate).
 */
export class SpaceHubSource implements DiscoverySource {
  readonly name = 'space';
  readonly title = 'Spaces';
  readonly #options: SpaceHubSourceOptions;

  constructor(options: SpaceHubSourceOptions) {
    this.#options = options;
  }

  async jobs(): Promise<DiscoveryJob[]> {
    return this.#options.spaces
      .filter(space => space.enabled)
      .map(space => ({
        key: `space/${space.name}`,
        discover: () => this.#discover(space),
      }));
  }

  async credentials(cp: ControlPlane): Promise<ControlPlaneCredentials> {
    const space = this.#options.spaces.find(s => s.name === cp.space);
    const token = space?.token ?? space?.hub.token;
    if (!token)
      throw new InputError(
        `Space '${cp.space}' has no bearer token to hand off; set upbound.spaces[].token`,
      );
    return handOff(cp, token);
  }

  async #discover(space: SpaceConfig): Promise<ControlPlane[]> {
    const { pool, owners, concurrency } = this.#options;
    const hub = pool.client(`hub/${space.name}`, space.hub);
    const ingress = space.ingress ?? (await readSpaceIngress(hub, space.name));
    const token = space.token ?? space.hub.token;
    const connection = (server: string): ClusterConnection => ({
      server,
      ...(ingress.caData ? { caData: ingress.caData } : {}),
      ...(token ? { token } : {}),
      ...(!token && space.hub.certData && space.hub.keyData
        ? { certData: space.hub.certData, keyData: space.hub.keyData }
        : {}),
      ...(space.hub.dangerouslySkipTLSVerify && !ingress.caData
        ? { dangerouslySkipTLSVerify: true }
        : {}),
    });
    return discoverSpace({
      source: 'space',
      space: space.name,
      listClient: hub,
      ingress,
      controlPlaneClient: (id, server) => pool.client(id, connection(server)),
      owner: (obj, group) =>
        resolveOwner(obj, owners, {
          namespace: group,
          configured: space.owner,
        }),
      concurrency,
    });
  }
}
