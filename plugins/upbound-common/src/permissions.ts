import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/** List and read control planes, their claim APIs, connections and GitOps status. @public */
export const upboundControlPlaneReadPermission = createPermission({
  name: 'upbound.controlplane.read',
  attributes: { action: 'read' },
});

/** Read a claim or XR (its YAML, graph and events); a resource permission on the catalog entity. @public */
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

/** Create a claim (scaffolder `upbound:claim:create`). @public */
export const upboundClaimCreatePermission = createPermission({
  name: 'upbound.claim.create',
  attributes: { action: 'create' },
});

/** Trigger an Argo CD sync of an Application that targets a control plane. @public */
export const upboundGitOpsSyncPermission = createPermission({
  name: 'upbound.gitops.sync',
  attributes: { action: 'update' },
});

/** Connect control planes to app clusters, Argo CD or Flux (scaffolder actions). @public */
export const upboundConnectionManagePermission = createPermission({
  name: 'upbound.connection.manage',
  attributes: { action: 'update' },
});

/** Issue a kubeconfig for a control plane (scaffolder `upbound:controlplane:kubeconfig`). @public */
export const upboundKubeconfigReadPermission = createPermission({
  name: 'upbound.controlplane.kubeconfig.read',
  attributes: { action: 'read' },
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
