/*
 * Compact, agent-sized views of the REST API's responses: what an agent needs to answer "is it
 * healthy, and if not, where does it fail", without whole objects.
 */
import {
  conditionsOf,
  CROSSPLANE_PAUSED_ANNOTATION,
  summarizeCondition,
  type ClusterError,
  type ConditionSummary,
  type ControlPlaneList,
  type GitOpsStatusResponse,
  type GraphNode,
  type ResourceGraph,
} from '@upbound-backstage/plugin-upbound-common';

const condition = (c: ConditionSummary | undefined) => ({
  state: c?.state ?? 'Unknown',
  ...(c?.reason ? { reason: c.reason } : {}),
  ...(c?.message ? { message: c.message } : {}),
});

const clusterError = (e: ClusterError) => ({
  controlPlane: e.cluster,
  type: e.type,
  message: e.message,
});

/** Control planes with their state and counts. */
export function summarizeControlPlanes(list: ControlPlaneList) {
  return {
    controlPlanes: list.items.map(cp => ({
      id: cp.id,
      name: cp.name,
      source: cp.source,
      ...(cp.space ? { space: cp.space } : {}),
      ...(cp.group ? { group: cp.group } : {}),
      ready: condition(cp.ready),
      ...(cp.crossplaneVersion
        ? { crossplaneVersion: cp.crossplaneVersion }
        : {}),
      ...(cp.counts
        ? {
            claimApiCount: cp.counts.claimApiCount,
            claimCount: cp.counts.claimCount,
            failingClaimCount: cp.counts.failingClaimCount,
          }
        : {}),
      ...(cp.error ? { error: `${cp.error.type}: ${cp.error.message}` } : {}),
    })),
    errors: list.errors.map(clusterError),
  };
}

/** Ready, Synced, paused and references of a claim or XR as the control plane holds it. */
export function summarizeClaimObject(obj: any) {
  const conditions = conditionsOf(obj);
  const spec = obj?.spec ?? {};
  const resourceRef = spec.resourceRef ?? spec.crossplane?.resourceRef;
  const compositionName =
    spec.compositionRef?.name ?? spec.crossplane?.compositionRef?.name;
  return {
    apiVersion: obj?.apiVersion ?? '',
    kind: obj?.kind ?? '',
    name: obj?.metadata?.name ?? '',
    ...(obj?.metadata?.namespace ? { namespace: obj.metadata.namespace } : {}),
    ready: condition(summarizeCondition(conditions, 'Ready')),
    synced: condition(summarizeCondition(conditions, 'Synced')),
    paused:
      obj?.metadata?.annotations?.[CROSSPLANE_PAUSED_ANNOTATION] === 'true',
    ...(compositionName ? { compositionName } : {}),
    ...(resourceRef?.name
      ? { compositeResource: `${resourceRef.kind}/${resourceRef.name}` }
      : {}),
    ...(obj?.metadata?.creationTimestamp
      ? { createdAt: obj.metadata.creationTimestamp }
      : {}),
  };
}

const nodeView = (n: GraphNode) => ({
  role: n.role,
  apiVersion: n.apiVersion,
  kind: n.kind,
  name: n.name,
  ...(n.namespace ? { namespace: n.namespace } : {}),
  ready: condition(n.ready),
  synced: condition(n.synced),
  ...(n.missing ? { missing: true } : {}),
  ...(n.error ? { error: n.error } : {}),
});

/** Counts by state and the failing path from the root to the deepest failing node. */
export function summarizeGraph(graph: ResourceGraph) {
  const byId = new Map(graph.nodes.map(n => [n.id, n]));
  const root = byId.get(graph.rootId);
  const failing = graph.nodes.filter(
    n => n.missing || n.ready?.state === 'False' || n.synced?.state === 'False',
  );
  return {
    ...(root ? { root: nodeView(root) } : {}),
    nodeCount: graph.nodes.length,
    readyCount: graph.nodes.filter(n => n.ready?.state === 'True').length,
    failingCount: failing.length,
    missingCount: graph.nodes.filter(n => n.missing).length,
    failingPath: graph.failingPath
      .map(id => byId.get(id))
      .filter((n): n is GraphNode => !!n)
      .map(nodeView),
  };
}

/** Argo CD Applications and Flux Kustomizations syncing into the control plane. */
export function summarizeGitOps(status: GitOpsStatusResponse) {
  return {
    argocd: status.argocd.map(a => ({
      instance: a.instance,
      namespace: a.namespace,
      name: a.name,
      ...(a.repoURL ? { repoURL: a.repoURL } : {}),
      ...(a.path ? { path: a.path } : {}),
      ...(a.syncStatus ? { syncStatus: a.syncStatus } : {}),
      ...(a.healthStatus ? { healthStatus: a.healthStatus } : {}),
      ...(a.healthMessage ? { healthMessage: a.healthMessage } : {}),
      ...(a.operationPhase ? { operationPhase: a.operationPhase } : {}),
      ...(a.operationMessage ? { operationMessage: a.operationMessage } : {}),
    })),
    flux: status.flux.map(k => ({
      instance: k.instance,
      namespace: k.namespace,
      name: k.name,
      ...(k.path ? { path: k.path } : {}),
      ready: condition(k.ready),
      ...(k.lastAppliedRevision
        ? { lastAppliedRevision: k.lastAppliedRevision }
        : {}),
      ...(k.suspended ? { suspended: true } : {}),
    })),
    errors: status.errors.map(clusterError),
  };
}
