import { InputError, isError } from '@backstage/errors';
import type {
  AppCluster,
  ArgoCdInstance,
  ControlPlane,
  FluxInstance,
  UpboundService,
} from '@upbound-backstage/plugin-upbound-node';

function isNotFound(e: unknown): boolean {
  return isError(e) && e.name === 'NotFoundError';
}

/** The control plane with this id, or InputError naming the field. */
export async function lookupControlPlane(
  upbound: UpboundService,
  id: string,
  field = 'controlPlane',
): Promise<ControlPlane> {
  try {
    return await upbound.controlPlane(id);
  } catch (e) {
    if (isNotFound(e)) {
      throw new InputError(
        `Unknown ${field} '${id}': no control plane with this id is configured or discovered`,
      );
    }
    throw e;
  }
}

/** The configured app cluster with this name, or InputError naming the field. */
export function lookupAppCluster(
  upbound: UpboundService,
  name: string,
  field = 'appCluster',
): AppCluster {
  const found = upbound.appClusters().find(c => c.name === name);
  if (!found) {
    const known = upbound.appClusters().map(c => c.name);
    throw new InputError(
      `Unknown ${field} '${name}'${known.length ? `; configured app clusters: ${known.join(', ')}` : '; no app clusters are configured (upbound.appClusters)'}`,
    );
  }
  return upbound.appCluster(name);
}

function pickInstance<T extends { name: string }>(
  instances: T[],
  name: string | undefined,
  field: string,
  what: string,
  configKey: string,
): T {
  if (!name) {
    if (instances.length === 1) return instances[0];
    throw new InputError(
      instances.length === 0
        ? `No ${what} instance is configured (${configKey})`
        : `${field} is required: several ${what} instances are configured (${instances.map(i => i.name).join(', ')})`,
    );
  }
  const found = instances.find(i => i.name === name);
  if (!found) {
    throw new InputError(
      `Unknown ${field} '${name}'${instances.length ? `; configured: ${instances.map(i => i.name).join(', ')}` : ` (nothing configured under ${configKey})`}`,
    );
  }
  return found;
}

/** The Argo CD instance with this name (or the only one), or InputError. */
export function lookupArgoCdInstance(
  upbound: UpboundService,
  name: string | undefined,
  field = 'argocdInstance',
): ArgoCdInstance {
  return pickInstance(upbound.argoCdInstances(), name, field, 'Argo CD', 'upbound.argocd');
}

/** The Flux instance with this name (or the only one), or InputError. */
export function lookupFluxInstance(
  upbound: UpboundService,
  name: string | undefined,
  field = 'fluxInstance',
): FluxInstance {
  return pickInstance(upbound.fluxInstances(), name, field, 'Flux', 'upbound.flux');
}
