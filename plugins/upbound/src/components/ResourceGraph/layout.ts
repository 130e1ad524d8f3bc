import dagre from '@dagrejs/dagre';
import type { DisplayEdge, DisplayNode } from './graphModel';

/** Size every node is laid out with. */
export const NODE_WIDTH = 240;
export const NODE_HEIGHT = 72;

/** Top-down positions (top-left corners) of the nodes, computed with dagre. */
export function layoutGraph(
  nodes: DisplayNode[],
  edges: DisplayEdge[],
): Map<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 32, ranksep: 64, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const e of edges) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const positions = new Map<string, { x: number; y: number }>();
  for (const n of nodes) {
    const p = g.node(n.id);
    positions.set(n.id, { x: p.x - NODE_WIDTH / 2, y: p.y - NODE_HEIGHT / 2 });
  }
  return positions;
}
