import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type {
  ControlPlane,
  UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import { normalizeServerUrl } from './GitOpsService';

const ARGO_SECRET_TYPE_LABEL = 'argocd.argoproj.io/secret-type';

/** The control plane (and namespace) an Argo CD Application deploys into. @public */
export interface ArgoDestination {
  controlPlane: ControlPlane;
  namespace?: string;
}

/**
 * Finds the control plane an Argo CD Application deploys into, from its `destination.server`, or
 * from `destination.name` through the instance's cluster Secrets (read here, never returned).
 * Applications that deploy anywhere else are refused: syncs are limited to control planes.
 * @public
 */
export class ArgoDestinations {
  constructor(private readonly upbound: UpboundService) {}

  async resolve(
    instanceName: string,
    namespace: string,
    name: string,
  ): Promise<ArgoDestination> {
    const instance = this.upbound
      .argoCdInstances()
      .find(i => i.name === instanceName);
    if (!instance) {
      throw new NotFoundError(
        `Argo CD instance ${instanceName} is not configured`,
      );
    }
    if (!instance.url || typeof instance.request !== 'function') {
      throw new ConflictError(
        `Argo CD instance ${instanceName} has no REST API URL configured (upbound.argocd[].url); syncs cannot be triggered`,
      );
    }
    const { client } = this.upbound.appCluster(instance.appCluster);
    const appType = await client.resolve('argoproj.io/v1alpha1', 'Application');
    const app = await client.tryGet(appType, name, namespace);
    if (!app) {
      throw new NotFoundError(
        `Argo CD Application ${namespace}/${name} not found in app cluster ${instance.appCluster}`,
      );
    }
    const dest = app.spec?.destination ?? {};
    let server: string | undefined =
      typeof dest.server === 'string' ? dest.server : undefined;
    if (!server && typeof dest.name === 'string') {
      const secretType = await client.resolve('v1', 'Secret');
      const { items } = await client.list(secretType, {
        namespace: instance.namespace,
        labelSelector: `${ARGO_SECRET_TYPE_LABEL}=cluster`,
      });
      const decode = (v: unknown) =>
        typeof v === 'string'
          ? Buffer.from(v, 'base64').toString('utf8')
          : undefined;
      server = items
        .map(s => (s as any).data ?? {})
        .find(d => decode(d.name) === dest.name)?.server;
      server = decode(server);
    }
    const target = normalizeServerUrl(server);
    const { controlPlanes } = await this.upbound.inventory();
    const controlPlane = target
      ? controlPlanes.find(cp => normalizeServerUrl(cp.server) === target)
      : undefined;
    if (!controlPlane) {
      throw new NotAllowedError(
        `Argo CD Application ${namespace}/${name} does not deploy into a control plane known to Backstage; syncs are limited to Applications whose destination is a control plane`,
      );
    }
    return {
      controlPlane,
      ...(typeof dest.namespace === 'string' && dest.namespace
        ? { namespace: dest.namespace }
        : {}),
    };
  }
}
