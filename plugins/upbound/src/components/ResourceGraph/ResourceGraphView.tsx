import { useMemo } from 'react';
import {
  Background,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  type Edge,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useTheme } from '@material-ui/core/styles';
import type { DisplayEdge, DisplayNode } from './graphModel';
import { layoutGraph } from './layout';
import { HEALTH_COLORS, ResourceNode, type ResourceFlowNode } from './ResourceNode';

const nodeTypes = { resource: ResourceNode };

/** Props of {@link ResourceGraphView}. */
export interface ResourceGraphViewProps {
  nodes: DisplayNode[];
  edges: DisplayEdge[];
  selectedId?: string;
  onNodeClick(node: DisplayNode): void;
  height?: number;
}

/** The resource graph drawn with React Flow, laid out top-down with dagre. */
export function ResourceGraphView(props: ResourceGraphViewProps) {
  const { nodes, edges, selectedId, onNodeClick, height = 560 } = props;
  const theme = useTheme();

  const flowNodes = useMemo<ResourceFlowNode[]>(() => {
    const positions = layoutGraph(nodes, edges);
    return nodes.map(n => ({
      id: n.id,
      type: 'resource',
      position: positions.get(n.id)!,
      data: { display: n, selected: n.id === selectedId },
      draggable: false,
      connectable: false,
    }));
  }, [nodes, edges, selectedId]);

  const flowEdges = useMemo<Edge[]>(
    () =>
      edges.map(e => {
        const color = e.onFailingPath ? HEALTH_COLORS.error.border : theme.palette.text.disabled;
        return {
          id: e.id,
          source: e.source,
          target: e.target,
          type: 'smoothstep',
          animated: e.onFailingPath,
          style: { stroke: color, strokeWidth: e.onFailingPath ? 2.5 : 1.5 },
          markerEnd: { type: MarkerType.ArrowClosed, color },
        };
      }),
    [edges, theme],
  );

  return (
    <div style={{ height, width: '100%' }} data-testid="resource-graph">
      <ReactFlow
        nodes={flowNodes}
        edges={flowEdges}
        nodeTypes={nodeTypes}
        onNodeClick={(_, node) => onNodeClick((node as ResourceFlowNode).data.display)}
        nodesDraggable={false}
        nodesConnectable={false}
        fitView
        fitViewOptions={{ padding: 0.15 }}
        minZoom={0.1}
        proOptions={{ hideAttribution: true }}
        colorMode={theme.palette.type === 'dark' ? 'dark' : 'light'}
      >
        <Background />
        <Controls showInteractive={false} />
        {nodes.length > 15 && (
          <MiniMap
            pannable
            zoomable
            nodeColor={n => HEALTH_COLORS[(n as ResourceFlowNode).data.display.health].border}
          />
        )}
      </ReactFlow>
    </div>
  );
}
