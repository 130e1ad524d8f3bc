import {
  conditionsOf,
  CROSSPLANE_COMPOSITION_RESOURCE_NAME_ANNOTATION,
  CROSSPLANE_PAUSED_ANNOTATION,
  isFailing,
  summarizeCondition,
  type GraphNode,
  type GraphNodeRole,
  type ObjectCoordinates,
} from '@upbound-backstage/plugin-upbound-common';
import type {
  KubeObject,
  ResourceType,
} from '@upbound-backstage/plugin-upbound-node';

/** Coordinates of an object inside one control plane. @public */
export type ObjectRef = Omit<ObjectCoordinates, 'controlPlaneId'>;

const EXTERNAL_NAME_ANNOTATION = 'crossplane.io/external-name';

/** `<apiVersion>/<kind>/<namespace>/<name>`; the namespace is empty for cluster-scoped objects. */
export function graphNodeId(ref: ObjectRef): string {
  return `${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

/**
 * Which part of a Crossplane tree an object is: from its type's discovery categories, which
 * Crossplane sets on every claim, composite and managed resource CRD, else from the shape of its
 * spec.
 */
export function roleOf(
  obj: KubeObject,
  isRoot: boolean,
  type?: Pick<ResourceType, 'categories'>,
): GraphNodeRole {
  const categories = type?.categories ?? [];
  for (const role of ['claim', 'composite', 'managed'] as const) {
    if (categories.includes(role)) return role;
  }
  const spec = obj.spec ?? {};
  if (spec.crossplane || Array.isArray(spec.resourceRefs) || spec.claimRef)
    return 'composite';
  if (spec.resourceRef) return 'claim';
  if (spec.forProvider || spec.providerConfigRef || spec.managementPolicies)
    return 'managed';
  // A claim not bound yet has no resourceRef, only its composition choice (cluster-scoped v1 XRs
  // are not namespaced; namespaced v2 XRs carry spec.crossplane).
  const composing =
    spec.compositionRef ||
    spec.compositionSelector ||
    spec.compositeDeletePolicy !== undefined ||
    spec.compositionUpdatePolicy !== undefined;
  if (composing)
    return isRoot && obj.metadata?.namespace ? 'claim' : 'composite';
  return 'resource';
}

/** The objects a claim (spec.resourceRef) or XR (v1 spec.resourceRefs, v2 spec.crossplane.resourceRefs) points at. */
export function childRefsOf(obj: KubeObject, role: GraphNodeRole): ObjectRef[] {
  const spec = obj.spec ?? {};
  let raw: any[] = [];
  if (role === 'claim' && spec.resourceRef) raw = [spec.resourceRef];
  if (role === 'composite')
    raw = spec.crossplane?.resourceRefs ?? spec.resourceRefs ?? [];
  if (!Array.isArray(raw)) raw = [];
  return raw
    .filter(
      r =>
        r &&
        typeof r.apiVersion === 'string' &&
        typeof r.kind === 'string' &&
        typeof r.name === 'string' &&
        r.name,
    )
    .map(r => ({
      apiVersion: r.apiVersion,
      kind: r.kind,
      name: r.name,
      ...(typeof r.namespace === 'string' && r.namespace
        ? { namespace: r.namespace }
        : {}),
    }));
}

/** A graph node from a fetched object. */
export function toGraphNode(
  ref: ObjectRef,
  obj: KubeObject,
  role: GraphNodeRole,
): GraphNode {
  const conditions = conditionsOf(obj);
  const annotations = obj.metadata?.annotations ?? {};
  const node: GraphNode = {
    id: graphNodeId(ref),
    role,
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    name: ref.name,
    ...(ref.namespace ? { namespace: ref.namespace } : {}),
    uid: obj.metadata?.uid,
    ready: summarizeCondition(conditions, 'Ready'),
    synced: summarizeCondition(conditions, 'Synced'),
    createdAt: obj.metadata?.creationTimestamp,
  };
  const readySince = conditions.find(
    c => c.type === 'Ready',
  )?.lastTransitionTime;
  if (readySince) node.readySince = readySince;
  if (annotations[CROSSPLANE_PAUSED_ANNOTATION] === 'true') node.paused = true;
  const crn = annotations[CROSSPLANE_COMPOSITION_RESOURCE_NAME_ANNOTATION];
  if (crn) node.compositionResourceName = crn;
  const ext = annotations[EXTERNAL_NAME_ANNOTATION];
  if (ext) node.externalName = ext;
  return node;
}

/** A referenced object that could not be read. */
export function missingNode(
  ref: ObjectRef,
  role: GraphNodeRole,
  error?: string,
): GraphNode {
  return {
    id: graphNodeId(ref),
    role,
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    name: ref.name,
    ...(ref.namespace ? { namespace: ref.namespace } : {}),
    missing: true,
    ...(error ? { error } : {}),
  };
}

function nodeFails(n: GraphNode): boolean {
  return !!n.missing || isFailing(n);
}

/**
 * Node ids from the root to the deepest failing node of the first failing branch (depth-first in
 * resourceRefs order). Empty when nothing fails.
 */
export function computeFailingPath(
  rootId: string,
  nodes: Map<string, GraphNode>,
  children: Map<string, string[]>,
): string[] {
  const seen = new Set<string>();
  const walk = (id: string): string[] | undefined => {
    if (seen.has(id)) return undefined;
    seen.add(id);
    for (const child of children.get(id) ?? []) {
      const below = walk(child);
      if (below) return [id, ...below];
    }
    const node = nodes.get(id);
    return node && nodeFails(node) ? [id] : undefined;
  };
  return walk(rootId) ?? [];
}
