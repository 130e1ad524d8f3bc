import {
  InMemoryKubeClient,
  resourceTypeOf,
} from '@upbound-backstage/plugin-upbound-node/testUtils';
import {
  cpId,
  mr,
  types,
  v1Tree,
  v2Tree,
} from '../__testUtils__/crossplaneFixtures';
import { ResourceGraphBuilder } from './ResourceGraphBuilder';
import type { KubeObject } from '@upbound-backstage/plugin-upbound-node';

function fakeClient(objects: KubeObject[], resourceTypes = types) {
  return new InMemoryKubeClient({ clusterId: cpId, resourceTypes, objects });
}

const claimRoot = {
  apiVersion: 'platform.example.org/v1alpha1',
  kind: 'Database',
  namespace: 'team-a',
  name: 'db-1',
};

describe('ResourceGraphBuilder', () => {
  it('follows a v1 claim to its XR, managed resources and a nested XR', async () => {
    const client = fakeClient(v1Tree());
    const graph = await new ResourceGraphBuilder().build(client, claimRoot);

    expect(graph.rootId).toBe(
      'platform.example.org/v1alpha1/Database/team-a/db-1',
    );
    const byName = Object.fromEntries(graph.nodes.map(n => [n.name, n]));
    expect(Object.keys(byName).sort()).toEqual([
      'db-1',
      'db-1-x7k2p',
      'db-1-x7k2p-net',
      'db-1-x7k2p-net-a',
      'db-1-x7k2p-net-b',
      'db-1-x7k2p-rds',
      'db-1-x7k2p-vpc',
    ]);
    expect(byName['db-1'].role).toBe('claim');
    expect(byName['db-1-x7k2p'].role).toBe('composite');
    expect(byName['db-1-x7k2p-net'].role).toBe('composite');
    expect(byName['db-1-x7k2p-rds']).toMatchObject({
      role: 'managed',
      ready: { state: 'True', reason: 'Available' },
      synced: { state: 'True', reason: 'ReconcileSuccess' },
      compositionResourceName: 'db-1-x7k2p',
    });
    expect(byName['db-1-x7k2p'].namespace).toBeUndefined();
    expect(graph.edges).toContainEqual({
      from: byName['db-1'].id,
      to: byName['db-1-x7k2p'].id,
    });
    expect(graph.edges).toContainEqual({
      from: byName['db-1-x7k2p-net'].id,
      to: byName['db-1-x7k2p-net-b'].id,
    });
    expect(graph.failingPath).toEqual([]);
    expect(graph.apiCalls).toBe(client.dataCalls.length);
  });

  it('lists the two subnets of the nested XR with one LIST by composite label', async () => {
    const client = fakeClient(v1Tree());
    await new ResourceGraphBuilder().build(client, claimRoot);
    const subnetCalls = client.dataCalls.filter(c => c.kind === 'Subnet');
    expect(subnetCalls).toEqual([
      expect.objectContaining({
        verb: 'list',
        options: expect.objectContaining({
          labelSelector:
            'crossplane.io/composite in (db-1-x7k2p,db-1-x7k2p-net)',
        }),
      }),
    ]);
  });

  it('builds a v2 namespaced XR graph with children in the XR namespace', async () => {
    const client = fakeClient(v2Tree());
    const graph = await new ResourceGraphBuilder().build(client, {
      apiVersion: 'apps.example.org/v1',
      kind: 'App',
      namespace: 'team-b',
      name: 'cache-1',
    });
    expect(
      graph.nodes.map(n => [n.role, n.kind, n.namespace, n.missing]),
    ).toEqual([
      ['composite', 'App', 'team-b', undefined],
      ['managed', 'Bucket', 'team-b', undefined],
      ['managed', 'Object', 'team-b', undefined],
    ]);
  });

  it('marks a referenced object that does not exist as missing and on the failing path', async () => {
    const client = fakeClient(v1Tree({ deleteVpc: true }));
    const graph = await new ResourceGraphBuilder().build(client, claimRoot);
    const vpc = graph.nodes.find(n => n.kind === 'VPC');
    expect(vpc).toMatchObject({ missing: true, name: 'db-1-x7k2p-vpc' });
    expect(graph.failingPath).toEqual([
      graph.rootId,
      expect.stringContaining('XDatabase'),
      vpc!.id,
    ]);
  });

  it('computes the failing path down to the deepest failing cause', async () => {
    const client = fakeClient(v1Tree({ failingSubnet: true }));
    const graph = await new ResourceGraphBuilder().build(client, claimRoot);
    expect(graph.failingPath.map(id => id.split('/').pop())).toEqual([
      'db-1',
      'db-1-x7k2p',
      'db-1-x7k2p-net',
      'db-1-x7k2p-net-b',
    ]);
    const subnet = graph.nodes.find(n => n.name === 'db-1-x7k2p-net-b')!;
    expect(subnet.synced).toEqual({
      state: 'False',
      reason: 'ReconcileError',
      message: 'InvalidSubnet.Range: CIDR overlaps',
    });
  });

  it('keeps API calls bounded by kinds: 50 managed resources across 5 kinds', async () => {
    const kinds = [
      ['rds.aws.upbound.io/v1beta1', 'Instance'],
      ['ec2.aws.upbound.io/v1beta1', 'VPC'],
      ['ec2.aws.upbound.io/v1beta1', 'Subnet'],
      ['ec2.aws.upbound.io/v1beta1', 'SecurityGroup'],
      ['iam.aws.upbound.io/v1beta1', 'Role'],
    ];
    const mrs: KubeObject[] = [];
    for (let i = 0; i < 50; i++) {
      const [apiVersion, kind] = kinds[i % 5];
      mrs.push(mr(apiVersion, kind, `big-${kind.toLowerCase()}-${i}`, 'big'));
    }
    const xr: KubeObject = {
      apiVersion: 'platform.example.org/v1alpha1',
      kind: 'XDatabase',
      metadata: { name: 'big', labels: { 'crossplane.io/composite': 'big' } },
      spec: {
        resourceRefs: mrs.map(m => ({
          apiVersion: m.apiVersion,
          kind: m.kind,
          name: m.metadata!.name,
        })),
      },
    };
    const client = fakeClient([xr, ...mrs]);
    const graph = await new ResourceGraphBuilder().build(client, {
      apiVersion: 'platform.example.org/v1alpha1',
      kind: 'XDatabase',
      name: 'big',
    });
    expect(graph.nodes).toHaveLength(51);
    // 1 GET for the root + 1 LIST per kind.
    expect(graph.apiCalls).toBe(6);
    expect(client.dataCalls).toHaveLength(6);
    // Each kind is resolved once.
    expect(client.calls.filter(c => c.method === 'resolve')).toHaveLength(6);
  });

  it('falls back to GET for refs the LIST did not return', async () => {
    const objects = v1Tree();
    // The subnets lost their labels (e.g. created by hand and adopted).
    for (const o of objects) {
      if (o.kind === 'Subnet') o.metadata!.labels = {};
    }
    const client = fakeClient(objects);
    const graph = await new ResourceGraphBuilder().build(client, claimRoot);
    expect(
      graph.nodes.filter(n => n.kind === 'Subnet' && !n.missing),
    ).toHaveLength(2);
    expect(
      client.dataCalls.filter(c => c.kind === 'Subnet').map(c => c.verb),
    ).toEqual(['list', 'get', 'get']);
  });

  it('coalesces concurrent identical requests into one build and caches briefly', async () => {
    const client = fakeClient(v1Tree());
    client.latencyMs = 20;
    const builder = new ResourceGraphBuilder({ cacheTtlMs: 60_000 });
    const graphs = await Promise.all(
      Array.from({ length: 10 }, () => builder.build(client, claimRoot)),
    );
    expect(new Set(graphs).size).toBe(1);
    const callsAfterFirst = client.calls.length;
    await builder.build(client, claimRoot);
    expect(client.calls.length).toBe(callsAfterFirst);
  });

  it('does not cache failures', async () => {
    const client = fakeClient([]);
    const builder = new ResourceGraphBuilder({ cacheTtlMs: 60_000 });
    await expect(builder.build(client, claimRoot)).rejects.toThrow(/not found/);
    for (const o of v1Tree()) client.upsert(o);
    await expect(builder.build(client, claimRoot)).resolves.toMatchObject({
      rootId: expect.any(String),
    });
  });

  it('reports an unresolvable kind as a missing node with the reason', async () => {
    const objects = v1Tree();
    const client = fakeClient(objects);
    // Its CRD is gone: the type is no longer served, its objects linger.
    client.removeTypes(types.find(t => t.kind === 'Instance')!);
    const graph = await new ResourceGraphBuilder().build(client, claimRoot);
    expect(graph.nodes.find(n => n.kind === 'Instance')).toMatchObject({
      missing: true,
      error: expect.stringContaining('not served'),
    });
  });

  it('stops on reference cycles', async () => {
    const a: KubeObject = {
      apiVersion: 'platform.example.org/v1alpha1',
      kind: 'XNetwork',
      metadata: { name: 'a' },
      spec: {
        resourceRefs: [
          {
            apiVersion: 'platform.example.org/v1alpha1',
            kind: 'XNetwork',
            name: 'b',
          },
        ],
      },
    };
    const b: KubeObject = {
      ...a,
      metadata: { name: 'b' },
      spec: {
        resourceRefs: [
          {
            apiVersion: 'platform.example.org/v1alpha1',
            kind: 'XNetwork',
            name: 'a',
          },
        ],
      },
    };
    const client = fakeClient(
      [a, b],
      [
        resourceTypeOf(
          'platform.example.org/v1alpha1',
          'XNetwork',
          'xnetworks',
          false,
        ),
      ],
    );
    const graph = await new ResourceGraphBuilder().build(client, {
      apiVersion: 'platform.example.org/v1alpha1',
      kind: 'XNetwork',
      name: 'a',
    });
    expect(graph.nodes).toHaveLength(2);
    expect(graph.edges).toHaveLength(2);
  });
});
