export { ResourceGraphView } from './ResourceGraphView';
export type { ResourceGraphViewProps } from './ResourceGraphView';
export { ResourceGraphTable } from './ResourceGraphTable';
export { NodeDetailsDrawer } from './NodeDetailsDrawer';
export { toDisplayGraph, nodeHealth, COLLAPSE_THRESHOLD } from './graphModel';
export type { DisplayNode, DisplayEdge, NodeHealth } from './graphModel';
