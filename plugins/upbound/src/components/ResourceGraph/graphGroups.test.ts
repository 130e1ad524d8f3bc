import type {
  GraphNode,
  ResourceGraph,
} from '@upbound-backstage/plugin-upbound-common';
import { toDisplayGraph } from './graphModel';

const node = (
  apiVersion: string,
  kind: string,
  name: string,
  role: GraphNode['role'],
): GraphNode => ({
  id: `${apiVersion}/${kind}//${name}`,
  apiVersion,
  kind,
  name,
  role,
  ready: { state: 'True' },
  synced: { state: 'True' },
});

describe('graph cards that would read the same', () => {
  it('show the API group of managed resources with the same kind and name from different groups', () => {
    const xr = node('example.org/v1', 'XApp', 'app-x', 'composite');
    const aws = node('rds.aws.upbound.io/v1beta1', 'Instance', 'db', 'managed');
    const gcp = node('sql.gcp.upbound.io/v1beta1', 'Instance', 'db', 'managed');
    const other = node(
      'ec2.aws.upbound.io/v1beta1',
      'Instance',
      'vm',
      'managed',
    );
    const graph: ResourceGraph = {
      rootId: xr.id,
      nodes: [xr, aws, gcp, other],
      edges: [aws, gcp, other].map(n => ({ from: xr.id, to: n.id })),
      failingPath: [],
      apiCalls: 1,
      generatedAt: '2026-01-01T00:00:00Z',
    };
    const byId = new Map(toDisplayGraph(graph).nodes.map(n => [n.id, n]));
    expect(byId.get(aws.id)!.apiGroup).toBe('rds.aws.upbound.io');
    expect(byId.get(gcp.id)!.apiGroup).toBe('sql.gcp.upbound.io');
    // Names differ: nothing to tell apart.
    expect(byId.get(other.id)!.apiGroup).toBeUndefined();
    expect(byId.get(xr.id)!.apiGroup).toBeUndefined();
  });
});
