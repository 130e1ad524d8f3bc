import { InputError } from '@backstage/errors';
import type {
  AppCluster,
  FluxInstance,
  UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import { lookupFluxInstance } from './lookup';

/**
 * The connector cluster id of an app cluster: given, else `clusterId` from config, else the UID of
 * its `kube-system` namespace (what the connector docs' example ids look like; not confirmed by
 * Upbound, so config wins).
 */
export async function connectorClusterId(
  appCluster: AppCluster,
  given?: string,
): Promise<{ clusterId: string; from: 'input' | 'config' | 'kube-system' }> {
  if (given) return { clusterId: given, from: 'input' };
  if (appCluster.clusterId) return { clusterId: appCluster.clusterId, from: 'config' };
  const namespaces = await appCluster.client.resolve('v1', 'Namespace');
  const uid = (await appCluster.client.tryGet(namespaces, 'kube-system'))?.metadata?.uid;
  if (!uid) {
    throw new InputError(
      `clusterId is required: app cluster '${appCluster.name}' has no clusterId in config and its kube-system namespace cannot be read`,
    );
  }
  return { clusterId: uid, from: 'kube-system' };
}

/**
 * The app cluster side of a connector install or uninstall: its connector cluster id and the Flux
 * instance (given, or the one configured for the app cluster) when Flux is used.
 */
export async function lookupConnectorAppCluster(
  upbound: UpboundService,
  appCluster: AppCluster,
  input: { clusterId?: string; fluxInstance?: string; needFlux?: boolean },
): Promise<{ clusterId: string; flux?: FluxInstance }> {
  const flux =
    input.needFlux === false
      ? undefined
      : lookupFluxInstance(
          upbound,
          input.fluxInstance ??
            upbound.fluxInstances().find(f => f.appCluster === appCluster.name)?.name,
        );
  const { clusterId } = await connectorClusterId(appCluster, input.clusterId);
  return { clusterId, flux };
}
