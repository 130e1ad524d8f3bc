import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/**
 * Resource type of the permissions that act on a control plane (optionally one namespace in it).
 * Policies return conditional decisions for it with the rules of `plugin-upbound-node`
 * (`upboundControlPlaneConditions`): per control plane, Space, group, namespace or owner.
 * @public
 */
export const RESOURCE_TYPE_UPBOUND_CONTROL_PLANE = 'upbound-control-plane';

/** List and read control planes, their claim APIs, connections and GitOps status. @public */
export const upboundControlPlaneReadPermission = createPermission({
  name: 'upbound.controlplane.read',
  attributes: { action: 'read' },
});

/**
 * Read a claim or XR (its YAML, graph and events); a resource permission on the catalog entity.
 * Objects reached by coordinates are authorized against the entity of the claim or XR they belong to.
 * @public
 */
export const upboundClaimReadPermission = createPermission({
  name: 'upbound.claim.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Day-2 operations on a claim or XR: pause, resume, reconcile. @public */
export const upboundClaimUpdatePermission = createPermission({
  name: 'upbound.claim.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Create a claim (scaffolder `upbound:claim:create`) in a control plane namespace. @public */
export const upboundClaimCreatePermission = createPermission({
  name: 'upbound.claim.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_UPBOUND_CONTROL_PLANE,
});

/** Trigger an Argo CD sync of an Application whose destination is this control plane. @public */
export const upboundGitOpsSyncPermission = createPermission({
  name: 'upbound.gitops.sync',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_UPBOUND_CONTROL_PLANE,
});

/** Connect a control plane to app clusters, Argo CD or Flux (scaffolder actions). @public */
export const upboundConnectionManagePermission = createPermission({
  name: 'upbound.connection.manage',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_UPBOUND_CONTROL_PLANE,
});

/** Issue a kubeconfig for a control plane (scaffolder `upbound:controlplane:kubeconfig`). @public */
export const upboundKubeconfigReadPermission = createPermission({
  name: 'upbound.controlplane.kubeconfig.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_UPBOUND_CONTROL_PLANE,
});

/** Every permission of the Upbound plugins. @public */
export const upboundPermissions = [
  upboundControlPlaneReadPermission,
  upboundClaimReadPermission,
  upboundClaimUpdatePermission,
  upboundClaimCreatePermission,
  upboundGitOpsSyncPermission,
  upboundConnectionManagePermission,
  upboundKubeconfigReadPermission,
];

/** The permissions whose resource is a control plane (or a namespace in one). @public */
export const upboundControlPlanePermissions = [
  upboundClaimCreatePermission,
  upboundGitOpsSyncPermission,
  upboundConnectionManagePermission,
  upboundKubeconfigReadPermission,
];

/**
 * The resourceRef of a control plane, or of one namespace in it: `<control plane id>` or
 * `<control plane id>#<namespace>` (ids never contain `#`).
 * @public
 */
export function controlPlaneResourceRef(
  controlPlaneId: string,
  namespace?: string,
): string {
  return namespace ? `${controlPlaneId}#${namespace}` : controlPlaneId;
}

/** Reads a {@link controlPlaneResourceRef}. @public */
export function parseControlPlaneResourceRef(ref: string): {
  controlPlaneId: string;
  namespace?: string;
} {
  const hash = ref.indexOf('#');
  if (hash < 0) return { controlPlaneId: ref };
  const namespace = ref.slice(hash + 1);
  return {
    controlPlaneId: ref.slice(0, hash),
    ...(namespace ? { namespace } : {}),
  };
}
