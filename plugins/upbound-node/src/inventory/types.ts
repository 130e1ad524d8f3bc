import type { ControlPlaneSource } from '@upbound-backstage/plugin-upbound-common';
import type { ControlPlane, ControlPlaneCredentials } from '../types';

/** One unit of discovery: a Space, a Cloud Space or a direct control plane. */
export interface DiscoveryJob {
  /**
   * `space/<name>`, `cloud/<space>` or `direct/<name>`: the key its control planes and its error
   * are kept under between runs.
   */
  key: string;
  discover(): Promise<ControlPlane[]>;
}

/**
 * A place control planes come from (Upbound Cloud, Space hubs, direct connections); like the
 * Kubernetes plugin's cluster locators, each knows how to find its control planes and how to hand
 * out their credentials.
 */
export interface DiscoverySource {
  /** The `source` of the control planes it finds; a failed listing is reported under it. */
  readonly name: ControlPlaneSource;
  /** What {@link DiscoverySource.jobs} lists, for log lines. */
  readonly title: string;
  /**
   * This run's jobs. Rejects when they cannot be listed: every job of this source then keeps its
   * last known control planes.
   */
  jobs(): Promise<DiscoveryJob[]>;
  /** The credentials of one of its control planes, for deliberate hand-off. */
  credentials(cp: ControlPlane): Promise<ControlPlaneCredentials>;
}

/** Hand-off credentials: the control plane's server and CA with a bearer token. */
export function handOff(
  cp: ControlPlane,
  bearerToken: string,
  expiresAt?: Date,
): ControlPlaneCredentials {
  return {
    server: cp.server,
    ...(cp.caData ? { caData: cp.caData } : {}),
    bearerToken,
    ...(expiresAt ? { expiresAt } : {}),
  };
}
