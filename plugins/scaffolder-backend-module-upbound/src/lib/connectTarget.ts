import type {
  AppCluster,
  ControlPlane,
  UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import { lookupAppCluster, lookupControlPlane } from './lookup';
import { assertDnsSubdomain } from './validation';

/** Where a connect action writes: the control plane, the GitOps instance and its app cluster. */
export interface ConnectTarget<I> {
  controlPlane: ControlPlane;
  instance: I;
  appCluster: AppCluster;
  /** `app cluster <name>`, for messages. */
  where: string;
  /** Name of the GitOps object, `<control plane>-gitops` unless given. */
  name: string;
}

/**
 * Looks up what an Argo CD or Flux connect action needs, in input order so the first wrong field
 * is the one reported: the control plane, then the instance, then the app cluster it runs in.
 */
export async function lookupConnectTarget<I extends { appCluster: string }>(
  upbound: UpboundService,
  options: {
    controlPlane: string;
    /** Input field naming the instance, e.g. `argocdInstance`. */
    instanceField: string;
    lookupInstance: () => I;
    name: string | undefined;
    nameField: string;
  },
): Promise<ConnectTarget<I>> {
  const controlPlane = await lookupControlPlane(upbound, options.controlPlane);
  const instance = options.lookupInstance();
  const appCluster = lookupAppCluster(
    upbound,
    instance.appCluster,
    `${options.instanceField}.appCluster`,
  );
  const name = options.name || `${controlPlane.name}-gitops`;
  assertDnsSubdomain(options.nameField, name);
  return {
    controlPlane,
    instance,
    appCluster,
    where: `app cluster ${appCluster.name}`,
    name,
  };
}
