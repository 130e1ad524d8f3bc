/**
 * Annotation keys the catalog module writes and the frontend and backend read.
 * Coordinates are enough to find the object again; status keys change only when the state does.
 */

/** @public */
export const UPBOUND_ANNOTATION_PREFIX = 'upbound.io';

/** @public */
export const ANNOTATION_CONTROL_PLANE_ID = 'upbound.io/control-plane-id';
/** @public */
export const ANNOTATION_SOURCE = 'upbound.io/source';
/** @public */
export const ANNOTATION_SPACE = 'upbound.io/space';
/** @public */
export const ANNOTATION_GROUP = 'upbound.io/group';
/** @public */
export const ANNOTATION_CONTROL_PLANE = 'upbound.io/control-plane';
/** @public */
export const ANNOTATION_API_VERSION = 'upbound.io/api-version';
/** @public */
export const ANNOTATION_KIND = 'upbound.io/kind';
/** @public */
export const ANNOTATION_NAMESPACE = 'upbound.io/namespace';
/** @public */
export const ANNOTATION_NAME = 'upbound.io/name';
/** @public */
export const ANNOTATION_XRD = 'upbound.io/xrd';
/** @public */
export const ANNOTATION_READY = 'upbound.io/ready';
/** @public */
export const ANNOTATION_SYNCED = 'upbound.io/synced';
/** @public */
export const ANNOTATION_STATUS_REASON = 'upbound.io/status-reason';
/** ISO time of the last failed read; set while the control plane's entities are served from the last good read. @public */
export const ANNOTATION_STALE = 'upbound.io/stale';
/** @public */
export const ANNOTATION_STALE_REASON = 'upbound.io/stale-reason';
/**
 * Set on a claim or XR in a control plane to name the catalog entity (`kind:namespace/name`) that
 * may act on it although another source than the Upbound provider emitted that entity.
 * @public
 */
export const ANNOTATION_ENTITY_REF = 'upbound.io/entity-ref';
/** Prefix of `backstage.io/managed-by-origin-location` on the Upbound provider's entities. @public */
export const UPBOUND_PROVIDER_ORIGIN_PREFIX = 'upbound:upbound-provider:';
/** @public */
export const ANNOTATION_APP_CLUSTER = 'upbound.io/app-cluster';
/** @public */
export const ANNOTATION_APP_NAMESPACE = 'upbound.io/app-namespace';
/** @public */
export const ANNOTATION_APP_NAME = 'upbound.io/app-name';
/** @public */
export const ANNOTATION_CROSSPLANE_VERSION = 'upbound.io/crossplane-version';

/** Labels the MCP Connector puts on the MCP-side copy of a claim. @public */
export const CONNECTOR_LABEL_APP_CLUSTER =
  'mcp-connector.upbound.io/app-cluster';
/** @public */
export const CONNECTOR_LABEL_APP_NAMESPACE =
  'mcp-connector.upbound.io/app-namespace';
/** @public */
export const CONNECTOR_LABEL_APP_RESOURCE_NAME =
  'mcp-connector.upbound.io/app-resource-name';

/** Entity spec.type values. @public */
export const ENTITY_TYPE_CONTROL_PLANE = 'upbound-control-plane';
/** @public */
export const ENTITY_TYPE_CLAIM = 'crossplane-claim';
/** @public */
export const ENTITY_TYPE_COMPOSITE = 'crossplane-composite';
/** @public */
export const ENTITY_TYPE_APP_CLUSTER = 'kubernetes-cluster';

/** Crossplane annotations and labels. @public */
export const CROSSPLANE_PAUSED_ANNOTATION = 'crossplane.io/paused';
/** @public */
export const CROSSPLANE_COMPOSITE_LABEL = 'crossplane.io/composite';
/** @public */
export const CROSSPLANE_CLAIM_NAME_LABEL = 'crossplane.io/claim-name';
/** @public */
export const CROSSPLANE_CLAIM_NAMESPACE_LABEL = 'crossplane.io/claim-namespace';
/** @public */
export const CROSSPLANE_COMPOSITION_RESOURCE_NAME_ANNOTATION =
  'crossplane.io/composition-resource-name';
/** Touched to ask for a reconcile. @public */
export const RECONCILE_REQUESTED_ANNOTATION =
  'upbound.io/reconcile-requested-at';
