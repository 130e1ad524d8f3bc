import { Table, TableColumn } from '@backstage/core-components';
import Tooltip from '@material-ui/core/Tooltip';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import type {
  GraphNode,
  ResourceGraph,
} from '@upbound-backstage/plugin-upbound-common';
import { ConditionStatus } from '../ConditionStatus';
import { TruncatedText } from '../TruncatedText';

interface Row {
  id: string;
  node: GraphNode;
  depth: number;
  failing: boolean;
}

/** Depth of each node from the root (breadth first), to indent the table like the graph. */
function depths(graph: ResourceGraph): Map<string, number> {
  const children = new Map<string, string[]>();
  for (const e of graph.edges)
    children.set(e.from, [...(children.get(e.from) ?? []), e.to]);
  const depth = new Map<string, number>([[graph.rootId, 0]]);
  const queue = [graph.rootId];
  while (queue.length) {
    const id = queue.shift()!;
    for (const c of children.get(id) ?? []) {
      if (!depth.has(c)) {
        depth.set(c, depth.get(id)! + 1);
        queue.push(c);
      }
    }
  }
  return depth;
}

/** The same nodes as the graph, as a table (every node, never collapsed). */
export function ResourceGraphTable(props: {
  graph: ResourceGraph;
  onSelect(node: GraphNode): void;
}) {
  const { graph, onSelect } = props;
  const failing = new Set(graph.failingPath);
  const depth = depths(graph);
  const rows: Row[] = graph.nodes
    .map(node => ({
      id: node.id,
      node,
      depth: depth.get(node.id) ?? 0,
      failing: failing.has(node.id),
    }))
    .sort((a, b) => a.depth - b.depth);

  const columns: TableColumn<Row>[] = [
    {
      title: 'Kind',
      field: 'node.kind',
      render: row => (
        <span
          style={{
            paddingLeft: row.depth * 12,
            display: 'inline-flex',
            alignItems: 'center',
            gap: 4,
          }}
        >
          {row.failing && (
            <Tooltip title="On the failing path">
              <ErrorOutlineIcon
                fontSize="small"
                style={{ color: '#d32f2f' }}
                aria-label="failing path"
              />
            </Tooltip>
          )}
          {row.node.kind}
        </span>
      ),
    },
    {
      title: 'API version',
      field: 'node.apiVersion',
      cellStyle: { whiteSpace: 'nowrap' },
    },
    {
      title: 'Name',
      field: 'node.name',
      highlight: true,
      render: row => (
        <TruncatedText text={row.node.name} maxWidth="40ch" copy what="name" />
      ),
    },
    { title: 'Namespace', field: 'node.namespace', emptyValue: '–' },
    { title: 'Role', field: 'node.role' },
    {
      title: 'Ready',
      render: row =>
        row.node.missing ? (
          <ConditionStatus
            type="Missing"
            condition={{ state: 'False', message: row.node.error }}
          />
        ) : (
          <ConditionStatus type="Ready" condition={row.node.ready} hideType />
        ),
    },
    {
      title: 'Synced',
      render: row => (
        <ConditionStatus type="Synced" condition={row.node.synced} hideType />
      ),
    },
    {
      title: 'Resource name',
      field: 'node.compositionResourceName',
      emptyValue: '–',
    },
  ];

  return (
    <Table<Row>
      title="Resources"
      options={{
        paging: rows.length > 50,
        pageSize: 50,
        padding: 'dense',
        search: true,
      }}
      columns={columns}
      data={rows}
      onRowClick={(_, row) => row && onSelect(row.node)}
    />
  );
}
