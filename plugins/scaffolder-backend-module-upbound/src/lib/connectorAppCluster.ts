import { InputError } from '@backstage/errors';
import type {
  AppCluster,
  FluxInstance,
  UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import { lookupFluxInstance } from './lookup';

/**
 * The app cluster side of a connector install or uninstall: its connector cluster id (given, or
 * from config) and the Flux instance (given, or the one configured for the app cluster).
 */
export function lookupConnectorAppCluster(
  upbound: UpboundService,
  appCluster: AppCluster,
  input: { clusterId?: string; fluxInstance?: string },
): { clusterId: string; flux: FluxInstance } {
  const clusterId = input.clusterId || appCluster.clusterId;
  if (!clusterId) {
    throw new InputError(
      `clusterId is required: app cluster '${appCluster.name}' has no clusterId in config`,
    );
  }
  const flux = lookupFluxInstance(
    upbound,
    input.fluxInstance ??
      upbound.fluxInstances().find(f => f.appCluster === appCluster.name)?.name,
  );
  return { clusterId, flux };
}
