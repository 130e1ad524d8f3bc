import { bigGraph, failingGraph, failingNode } from '../../__fixtures__/graphs';
import { COLLAPSE_THRESHOLD, groupKey, nodeHealth, toDisplayGraph } from './graphModel';
import { layoutGraph } from './layout';

describe('graphModel', () => {
  it('colours nodes by state', () => {
    expect(nodeHealth({ ready: { state: 'True' }, synced: { state: 'True' } })).toBe('ok');
    expect(nodeHealth(failingNode)).toBe('error');
    expect(nodeHealth({ ready: { state: 'False', reason: 'Creating' } })).toBe('warning');
    // A claim whose composite is not Ready yet, as Crossplane reports it.
    expect(
      nodeHealth({
        ready: { state: 'False', reason: 'Waiting', message: 'Claim is waiting for composite resource to become Ready' },
        synced: { state: 'True', reason: 'ReconcileSuccess' },
      }),
    ).toBe('warning');
    expect(nodeHealth({})).toBe('unknown');
    expect(nodeHealth({ missing: true })).toBe('unknown');
  });

  it('marks the failing path through the nested XR', () => {
    const { nodes, edges, collapsible } = toDisplayGraph(failingGraph);
    expect(collapsible).toBe(false);
    expect(nodes).toHaveLength(7);
    expect(nodes.filter(n => n.onFailingPath).map(n => n.kind)).toEqual([
      'Database',
      'XDatabase',
      'XDatabaseCore',
      'Instance',
    ]);
    expect(edges.filter(e => e.onFailingPath)).toHaveLength(3);
    expect(nodes.find(n => n.kind === 'SecurityGroup')?.missing).toBe(true);
  });

  it('collapses same-kind managed resources of big graphs, and expands on request', () => {
    const graph = bigGraph(COLLAPSE_THRESHOLD + 10);
    const collapsed = toDisplayGraph(graph);
    expect(collapsed.collapsible).toBe(true);
    expect(collapsed.nodes.map(n => n.label)).toEqual(['assets', '20 × Object', '20 × BucketPolicy']);
    const policies = collapsed.nodes.find(n => n.kind === 'BucketPolicy')!;
    expect(policies.health).toBe('error');
    expect(policies.onFailingPath).toBe(true);
    expect(collapsed.edges.find(e => e.target === policies.id)?.onFailingPath).toBe(true);

    const expanded = toDisplayGraph(graph, {
      expanded: new Set([groupKey(graph.rootId, 'Object')]),
    });
    expect(expanded.nodes).toHaveLength(1 + 20 + 1);
  });

  it('lays out top-down', () => {
    const { nodes, edges } = toDisplayGraph(failingGraph);
    const pos = layoutGraph(nodes, edges);
    const y = (kind: string) => pos.get(nodes.find(n => n.kind === kind)!.id)!.y;
    expect(y('Database')).toBeLessThan(y('XDatabase'));
    expect(y('XDatabase')).toBeLessThan(y('XDatabaseCore'));
    expect(y('XDatabaseCore')).toBeLessThan(y('Instance'));
  });
});
