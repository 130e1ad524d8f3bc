import { InputError } from '@backstage/errors';
import type { DirectControlPlaneConfig, OwnerConfig } from '../config/types';
import { resolveOwner } from '../owners/resolveOwner';
import type { KubeClientPool } from '../service/KubeClientPool';
import type { ControlPlane, ControlPlaneCredentials } from '../types';
import { handOff, type DiscoveryJob, type DiscoverySource } from './types';

/** Options of {@link DirectControlPlaneSource}. */
export interface DirectControlPlaneSourceOptions {
  controlPlanes: DirectControlPlaneConfig[];
  pool: KubeClientPool;
  owners: OwnerConfig;
}

/**
 * Control planes reached directly (any Crossplane cluster, by URL or kubeconfig). Each is one
 * control plane, probed with `/version`; an unreachable one stays, marked not ready.
 */
export class DirectControlPlaneSource implements DiscoverySource {
  readonly name = 'direct';
  readonly title = 'direct control planes';
  readonly #options: DirectControlPlaneSourceOptions;

  constructor(options: DirectControlPlaneSourceOptions) {
    this.#options = options;
  }

  async jobs(): Promise<DiscoveryJob[]> {
    return this.#options.controlPlanes
      .filter(direct => direct.enabled)
      .map(direct => ({
        key: `direct/${direct.name}`,
        discover: () => this.#discover(direct),
      }));
  }

  async credentials(cp: ControlPlane): Promise<ControlPlaneCredentials> {
    const direct = this.#options.controlPlanes.find(
      c => `direct/${c.name}` === cp.id,
    );
    if (!direct?.connection.token) {
      throw new InputError(
        `Control plane '${cp.id}' is configured without a bearer token; set its token`,
      );
    }
    return handOff(cp, direct.connection.token);
  }

  async #discover(direct: DirectControlPlaneConfig): Promise<ControlPlane[]> {
    const { name, connection } = direct;
    const id = `direct/${name}`;
    const client = this.#options.pool.client(id, connection);
    let ready: ControlPlane['ready'];
    try {
      await client.transport.requestJson({
        method: 'GET',
        path: '/version',
        verb: 'get',
      });
      ready = { state: 'True', reason: 'Reachable' };
    } catch (e) {
      // An unreachable direct control plane stays in the inventory, marked not ready.
      ready = {
        state: 'False',
        reason: 'Unreachable',
        message: (e as Error).message,
      };
    }
    const owner = resolveOwner(undefined, this.#options.owners, {
      configured: direct.owner,
    });
    return [
      {
        id,
        source: 'direct',
        name,
        ready,
        conditions: [],
        ...(owner ? { owner } : {}),
        client,
        server: connection.server,
        ...(connection.caData ? { caData: connection.caData } : {}),
      },
    ];
  }
}
