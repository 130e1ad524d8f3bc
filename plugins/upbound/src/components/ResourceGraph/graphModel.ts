import type {
  GraphNode,
  ResourceGraph,
} from '@upbound-backstage/plugin-upbound-common';

/** Above this many nodes, managed resources of one kind under one parent are collapsed. */
export const COLLAPSE_THRESHOLD = 30;

/** Colour class of a node. */
export type NodeHealth = 'ok' | 'error' | 'warning' | 'unknown';

/**
 * Ready=False reasons of work in progress: a composite or managed resource Creating, a claim Waiting for
 * its composite (Crossplane's claim reason while the XR is not Ready).
 */
const IN_PROGRESS_REASONS = new Set(['Creating', 'Waiting']);

/** How a node's state is coloured: Ready True green, failing red, in progress amber, unknown grey. */
export function nodeHealth(
  node: Pick<GraphNode, 'ready' | 'synced' | 'missing' | 'error'>,
): NodeHealth {
  if (node.missing) return node.error ? 'error' : 'unknown';
  if (node.synced?.state === 'False') return 'error';
  const ready = node.ready?.state ?? 'Unknown';
  if (ready === 'True') return 'ok';
  if (ready === 'False')
    return IN_PROGRESS_REASONS.has(node.ready?.reason ?? '')
      ? 'warning'
      : 'error';
  return node.synced?.state === 'True' ? 'warning' : 'unknown';
}

const SEVERITY: Record<NodeHealth, number> = {
  ok: 0,
  unknown: 1,
  warning: 2,
  error: 3,
};

/** A visible node: one graph node, or a collapsed group of same-kind managed resources. */
export interface DisplayNode {
  id: string;
  label: string;
  kind: string;
  role: GraphNode['role'] | 'group';
  health: NodeHealth;
  missing: boolean;
  onFailingPath: boolean;
  /** The graph node, for single nodes. */
  node?: GraphNode;
  /** Members of a collapsed group. */
  members?: GraphNode[];
  /** API group, set when another node has the same kind, role and name and would read the same. */
  apiGroup?: string;
}

/** The group of an apiVersion (`core` for the core group). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? 'core' : apiVersion.slice(0, slash);
}

/** Marks nodes that read the same (kind, role, name) with their API group, so they tell apart. */
function disambiguate(nodes: DisplayNode[]): void {
  const key = (n: DisplayNode) => `${n.kind}\u0000${n.role}\u0000${n.label}`;
  const groupsByKey = new Map<string, Set<string>>();
  const groupOf = (n: DisplayNode) =>
    apiGroupOf((n.node ?? n.members?.[0])?.apiVersion ?? '');
  for (const n of nodes) {
    const set = groupsByKey.get(key(n)) ?? new Set<string>();
    set.add(groupOf(n));
    groupsByKey.set(key(n), set);
  }
  for (const n of nodes) {
    if ((groupsByKey.get(key(n))?.size ?? 0) > 1) n.apiGroup = groupOf(n);
  }
}

/** An edge between visible nodes. */
export interface DisplayEdge {
  id: string;
  source: string;
  target: string;
  onFailingPath: boolean;
}

/** Key of the group a managed resource collapses into. */
export function groupKey(parentId: string, kind: string): string {
  return `group:${parentId}:${kind}`;
}

/**
 * Reduces a graph to what is shown: for big graphs, managed resources with the same parent and
 * kind become one expandable group node (unless expanded). The failing path stays marked.
 */
export function toDisplayGraph(
  graph: ResourceGraph,
  options: { expanded?: ReadonlySet<string>; collapse?: boolean } = {},
): { nodes: DisplayNode[]; edges: DisplayEdge[]; collapsible: boolean } {
  const expanded = options.expanded ?? new Set<string>();
  const collapsible = graph.nodes.length > COLLAPSE_THRESHOLD;
  const collapse = options.collapse ?? collapsible;
  const failing = new Set(graph.failingPath);
  const failingEdges = new Set(
    graph.failingPath.slice(1).map((to, i) => `${graph.failingPath[i]}->${to}`),
  );

  const parentOf = new Map<string, string>();
  for (const e of graph.edges)
    if (!parentOf.has(e.to)) parentOf.set(e.to, e.from);

  // Which visible node each graph node is drawn as.
  const visibleId = new Map<string, string>();
  const groups = new Map<string, GraphNode[]>();
  if (collapse) {
    const candidates = new Map<string, GraphNode[]>();
    for (const n of graph.nodes) {
      const parent = parentOf.get(n.id);
      if (n.role !== 'managed' || !parent) continue;
      const key = groupKey(parent, n.kind);
      candidates.set(key, [...(candidates.get(key) ?? []), n]);
    }
    for (const [key, members] of candidates) {
      if (members.length < 2 || expanded.has(key)) continue;
      groups.set(key, members);
      for (const m of members) visibleId.set(m.id, key);
    }
  }

  const nodes: DisplayNode[] = [];
  for (const n of graph.nodes) {
    if (visibleId.has(n.id)) continue;
    visibleId.set(n.id, n.id);
    nodes.push({
      id: n.id,
      label: n.name,
      kind: n.kind,
      role: n.role,
      health: nodeHealth(n),
      missing: !!n.missing,
      onFailingPath: failing.has(n.id),
      node: n,
    });
  }
  for (const [key, members] of groups) {
    const health = members
      .map(nodeHealth)
      .reduce(
        (a, b) => (SEVERITY[b] > SEVERITY[a] ? b : a),
        'ok' as NodeHealth,
      );
    nodes.push({
      id: key,
      label: `${members.length} × ${members[0].kind}`,
      kind: members[0].kind,
      role: 'group',
      health,
      missing: false,
      onFailingPath: members.some(m => failing.has(m.id)),
      members,
    });
  }

  disambiguate(nodes);

  const edges = new Map<string, DisplayEdge>();
  for (const e of graph.edges) {
    const source = visibleId.get(e.from);
    const target = visibleId.get(e.to);
    if (!source || !target || source === target) continue;
    const id = `${source}->${target}`;
    const onFailingPath = failingEdges.has(`${e.from}->${e.to}`);
    const prev = edges.get(id);
    edges.set(id, {
      id,
      source,
      target,
      onFailingPath: onFailingPath || !!prev?.onFailingPath,
    });
  }
  return { nodes, edges: [...edges.values()], collapsible };
}
