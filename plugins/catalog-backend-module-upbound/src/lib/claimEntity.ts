import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_API_VERSION,
  ANNOTATION_APP_CLUSTER,
  ANNOTATION_APP_NAME,
  ANNOTATION_APP_NAMESPACE,
  ANNOTATION_CONTROL_PLANE,
  ANNOTATION_CONTROL_PLANE_ID,
  ANNOTATION_GROUP,
  ANNOTATION_KIND,
  ANNOTATION_NAME,
  ANNOTATION_NAMESPACE,
  ANNOTATION_READY,
  ANNOTATION_SOURCE,
  ANNOTATION_SPACE,
  ANNOTATION_STATUS_REASON,
  ANNOTATION_SYNCED,
  ANNOTATION_XRD,
  CONNECTOR_LABEL_APP_CLUSTER,
  CONNECTOR_LABEL_APP_NAMESPACE,
  CONNECTOR_LABEL_APP_RESOURCE_NAME,
  ENTITY_TYPE_CLAIM,
  ENTITY_TYPE_COMPOSITE,
  claimEntityName,
  conditionsOf,
  summarizeCondition,
  type ClaimApi,
  type ControlPlaneSummary,
} from '@upbound-backstage/plugin-upbound-common';
import type { KubeObject } from '@upbound-backstage/plugin-upbound-node';
import {
  claimApiEntityRef,
  controlPlaneEntityRef,
  locationAnnotations,
} from './entityRefs';
import type { MappingContext } from './mappingContext';
import { entityOwner } from './owner';
import { claimTitle } from './titles';

/** Whether an object is a legacy claim or a v2 namespaced XR. @public */
export type ClaimObjectType = 'claim' | 'composite';

const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';
const ARGO_TRACKING_ID_ANNOTATION = 'argocd.argoproj.io/tracking-id';
const ARGO_INSTANCE_LABEL = 'app.kubernetes.io/instance';

/**
 * Argo CD annotations for the entity: the Application name from the tracking id
 * (`<app>:<group>/<Kind>:<ns>/<name>`, where `<app>` is `<namespace>_<name>` for Applications
 * outside the Argo CD namespace) or from the instance label.
 */
function argoAnnotations(obj: KubeObject): Record<string, string> {
  const tracking = obj.metadata?.annotations?.[ARGO_TRACKING_ID_ANNOTATION];
  const app = tracking
    ? tracking.split(':')[0]
    : obj.metadata?.labels?.[ARGO_INSTANCE_LABEL];
  if (!app) return {};
  const sep = app.indexOf('_');
  if (tracking && sep > 0) {
    return {
      'argocd/app-name': app.slice(sep + 1),
      'argocd/app-namespace': app.slice(0, sep),
    };
  }
  return { 'argocd/app-name': app };
}

/**
 * A claim or a v2 namespaced XR as a Resource entity. Status annotations hold only the condition
 * state and, when failing, its reason (never messages or timestamps), so the entity changes only
 * when Ready or Synced does. Returns undefined for objects without a name.
 * @public
 */
export function claimToEntity(
  cp: ControlPlaneSummary,
  api: ClaimApi,
  type: ClaimObjectType,
  obj: KubeObject,
  ctx: MappingContext,
): Entity | undefined {
  const name = obj.metadata?.name;
  const namespace = obj.metadata?.namespace;
  if (!name) return undefined;
  const kind = type === 'claim' ? api.claimKind ?? api.kind : api.kind;
  const apiVersion =
    obj.apiVersion ?? `${api.group}/${api.referenceableVersion}`;
  const conditions = conditionsOf(obj);
  const ready = summarizeCondition(conditions, 'Ready');
  const synced = summarizeCondition(conditions, 'Synced');
  const labels = obj.metadata?.labels ?? {};

  const annotations: Record<string, string> = {
    ...locationAnnotations(ctx.providerName, cp.id),
    [ANNOTATION_CONTROL_PLANE_ID]: cp.id,
    [ANNOTATION_SOURCE]: cp.source,
    [ANNOTATION_CONTROL_PLANE]: cp.name,
    [ANNOTATION_API_VERSION]: apiVersion,
    [ANNOTATION_KIND]: kind,
    [ANNOTATION_NAME]: name,
    [ANNOTATION_XRD]: api.name,
    [ANNOTATION_READY]: ready.state,
    [ANNOTATION_SYNCED]: synced.state,
  };
  if (cp.space) annotations[ANNOTATION_SPACE] = cp.space;
  if (cp.group) annotations[ANNOTATION_GROUP] = cp.group;
  if (namespace) annotations[ANNOTATION_NAMESPACE] = namespace;
  // Synced=False explains more than Ready=False (the reconcile itself fails), so it wins.
  const failing = [synced, ready].find(c => c.state === 'False');
  if (failing?.reason) annotations[ANNOTATION_STATUS_REASON] = failing.reason;

  const clusterId = labels[CONNECTOR_LABEL_APP_CLUSTER];
  const appNamespace = labels[CONNECTOR_LABEL_APP_NAMESPACE];
  const appName = labels[CONNECTOR_LABEL_APP_RESOURCE_NAME];
  if (clusterId) {
    const configured = ctx.appClusters.find(c => c.clusterId === clusterId);
    annotations[ANNOTATION_APP_CLUSTER] = configured?.name ?? clusterId;
    if (appNamespace) annotations[ANNOTATION_APP_NAMESPACE] = appNamespace;
    if (appName) annotations[ANNOTATION_APP_NAME] = appName;
  }
  // The Kubernetes plugin finds objects by this label; only where the object carries it.
  const kubernetesId = labels[KUBERNETES_ID_LABEL];
  if (kubernetesId) {
    annotations[KUBERNETES_ID_LABEL] = kubernetesId;
    const k8sNamespace = clusterId ? appNamespace : namespace;
    if (k8sNamespace)
      annotations['backstage.io/kubernetes-namespace'] = k8sNamespace;
  }
  Object.assign(annotations, argoAnnotations(obj));

  const dependsOn: string[] = [];
  if (ctx.entities.controlPlanes) dependsOn.push(controlPlaneEntityRef(cp));
  if (ctx.entities.claimApis) dependsOn.push(claimApiEntityRef(api));

  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: claimEntityName({
        controlPlaneId: cp.id,
        controlPlaneName: cp.name,
        kind,
        namespace,
        name,
      }),
      // A connector claim by the names its app team knows (`shop/orders-db (app-1)`); the
      // control plane object (`claim-<hash>`) stays in the description, so search finds either.
      title:
        clusterId && appName
          ? claimTitle(appName, appNamespace, annotations[ANNOTATION_APP_CLUSTER])
          : claimTitle(name, namespace, cp.name),
      description:
        clusterId && appName
          ? `${kind} ${appNamespace ? `${appNamespace}/` : ''}${appName} from app cluster ${
              annotations[ANNOTATION_APP_CLUSTER]
            }, stored as ${namespace ? `${namespace}/` : ''}${name} in control plane ${cp.name}.`
          : `${kind} ${namespace ? `${namespace}/` : ''}${name} in control plane ${cp.name}.`,
      annotations,
      tags: ['crossplane', type],
    },
    spec: {
      type: type === 'claim' ? ENTITY_TYPE_CLAIM : ENTITY_TYPE_COMPOSITE,
      owner: entityOwner(ctx, obj, { namespace }),
      ...(dependsOn.length ? { dependsOn } : {}),
      ...(ctx.system ? { system: ctx.system } : {}),
    },
  };
}
