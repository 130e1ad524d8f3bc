import type { GraphNode, ResourceGraph } from '@upbound-backstage/plugin-upbound-common';

function id(apiVersion: string, kind: string, namespace: string | undefined, name: string) {
  return `${apiVersion}/${kind}/${namespace ?? ''}/${name}`;
}

const claim: GraphNode = {
  id: id('platform.example.org/v1alpha1', 'Database', 'team-a', 'billing-db'),
  role: 'claim',
  apiVersion: 'platform.example.org/v1alpha1',
  kind: 'Database',
  namespace: 'team-a',
  name: 'billing-db',
  ready: { state: 'False', reason: 'Unavailable', message: 'composite resource is not ready' },
  synced: { state: 'True', reason: 'ReconcileSuccess' },
};
const xr: GraphNode = {
  id: id('platform.example.org/v1alpha1', 'XDatabase', undefined, 'billing-db-x7k2p'),
  role: 'composite',
  apiVersion: 'platform.example.org/v1alpha1',
  kind: 'XDatabase',
  name: 'billing-db-x7k2p',
  ready: { state: 'False', reason: 'Unavailable', message: 'Unready resources: core' },
  synced: { state: 'True', reason: 'ReconcileSuccess' },
};
const subnets: GraphNode = {
  id: id('rds.aws.upbound.io/v1beta1', 'SubnetGroup', undefined, 'billing-db-x7k2p-sn'),
  role: 'managed',
  apiVersion: 'rds.aws.upbound.io/v1beta1',
  kind: 'SubnetGroup',
  name: 'billing-db-x7k2p-sn',
  compositionResourceName: 'subnet-group',
  ready: { state: 'True', reason: 'Available' },
  synced: { state: 'True', reason: 'ReconcileSuccess' },
};
const nested: GraphNode = {
  id: id('platform.example.org/v1alpha1', 'XDatabaseCore', undefined, 'billing-db-x7k2p-core'),
  role: 'composite',
  apiVersion: 'platform.example.org/v1alpha1',
  kind: 'XDatabaseCore',
  name: 'billing-db-x7k2p-core',
  compositionResourceName: 'core',
  ready: { state: 'False', reason: 'Unavailable', message: 'Unready resources: instance' },
  synced: { state: 'True', reason: 'ReconcileSuccess' },
};
const instance: GraphNode = {
  id: id('rds.aws.upbound.io/v1beta1', 'Instance', undefined, 'billing-db-x7k2p-core-db'),
  role: 'managed',
  apiVersion: 'rds.aws.upbound.io/v1beta1',
  kind: 'Instance',
  name: 'billing-db-x7k2p-core-db',
  compositionResourceName: 'instance',
  externalName: 'billing-db',
  ready: { state: 'False', reason: 'Creating' },
  synced: {
    state: 'False',
    reason: 'ReconcileError',
    message: 'InvalidParameterValue: instance class db.x9.huge is not supported',
  },
};
const params: GraphNode = {
  id: id('rds.aws.upbound.io/v1beta1', 'ParameterGroup', undefined, 'billing-db-x7k2p-core-pg'),
  role: 'managed',
  apiVersion: 'rds.aws.upbound.io/v1beta1',
  kind: 'ParameterGroup',
  name: 'billing-db-x7k2p-core-pg',
  ready: { state: 'Unknown' },
  synced: { state: 'Unknown' },
};
const missing: GraphNode = {
  id: id('ec2.aws.upbound.io/v1beta1', 'SecurityGroup', undefined, 'billing-db-x7k2p-sg'),
  role: 'managed',
  apiVersion: 'ec2.aws.upbound.io/v1beta1',
  kind: 'SecurityGroup',
  name: 'billing-db-x7k2p-sg',
  missing: true,
  error: 'securitygroups.ec2.aws.upbound.io "billing-db-x7k2p-sg" not found',
};

/** claim -> XR -> (MR, MR missing, nested XR -> (failing MR, unknown MR)). */
export const failingGraph: ResourceGraph = {
  rootId: claim.id,
  nodes: [claim, xr, subnets, missing, nested, instance, params],
  edges: [
    { from: claim.id, to: xr.id },
    { from: xr.id, to: subnets.id },
    { from: xr.id, to: missing.id },
    { from: xr.id, to: nested.id },
    { from: nested.id, to: instance.id },
    { from: nested.id, to: params.id },
  ],
  failingPath: [claim.id, xr.id, nested.id, instance.id],
  apiCalls: 7,
  generatedAt: '2026-11-20T10:06:00Z',
};

/** The failing managed resource of {@link failingGraph}. */
export const failingNode = instance;

/** An XR with `count` managed resources of two kinds: exercises collapse by kind. */
export function bigGraph(count: number): ResourceGraph {
  const root: GraphNode = {
    id: id('storage.example.org/v1', 'Bucket', 'team-b', 'assets'),
    role: 'composite',
    apiVersion: 'storage.example.org/v1',
    kind: 'Bucket',
    namespace: 'team-b',
    name: 'assets',
    ready: { state: 'True' },
    synced: { state: 'True' },
  };
  const nodes: GraphNode[] = [root];
  for (let i = 0; i < count; i++) {
    const kind = i % 2 === 0 ? 'Object' : 'BucketPolicy';
    nodes.push({
      id: id('s3.aws.m.upbound.io/v1beta1', kind, 'team-b', `assets-${i}`),
      role: 'managed',
      apiVersion: 's3.aws.m.upbound.io/v1beta1',
      kind,
      namespace: 'team-b',
      name: `assets-${i}`,
      ready: { state: i === 3 ? 'False' : 'True' },
      synced: { state: 'True' },
    });
  }
  return {
    rootId: root.id,
    nodes,
    edges: nodes.slice(1).map(n => ({ from: root.id, to: n.id })),
    failingPath: [root.id, nodes[4].id],
    generatedAt: '2026-11-20T10:06:00Z',
  };
}
