export { ClusterErrorsPanel } from './ClusterErrorsPanel';
export type { ClusterErrorsPanelProps } from './ClusterErrorsPanel';
