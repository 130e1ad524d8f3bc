import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  Watch,
} from '@kubernetes/client-node';
import { connectorObjectName } from '@upbound-backstage/plugin-upbound-common';
import { describeIfLocalSpace, getLocalSpace, LocalSpace } from './LocalSpace';

function ingressClient(space: LocalSpace, name: string, token?: string) {
  const cp = space.controlPlane(name);
  const kc = new KubeConfig();
  kc.loadFromFile(cp.ingressKubeconfigPath);
  if (token) {
    kc.loadFromOptions({
      clusters: kc.clusters,
      contexts: kc.contexts,
      currentContext: kc.currentContext,
      users: [{ name: kc.getCurrentUser()!.name, token }],
    });
  }
  return kc;
}

function statusCode(e: any): number | undefined {
  return e?.code ?? e?.statusCode ?? e?.response?.statusCode;
}

describeIfLocalSpace('local Space through the ingress proxy', () => {
  const space = getLocalSpace()!;
  const running = () => space.state.controlPlanes.filter(cp => cp.port !== null);

  it('lists the seeded claims of every control plane', async () => {
    expect(running().length).toBeGreaterThanOrEqual(2);
    for (const cp of running()) {
      const api = ingressClient(space, `${cp.group}/${cp.name}`).makeApiClient(CustomObjectsApi);
      const dbs: any = await api.listClusterCustomObject({
        group: 'database.example.org',
        version: 'v1alpha1',
        plural: 'postgresqlinstances',
      });
      const names = dbs.items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`);
      expect(names).toEqual(expect.arrayContaining(['payments/orders-db', 'payments/reports-db']));
      const buckets: any = await api.listNamespacedCustomObject({
        group: 'storage.example.org',
        version: 'v1alpha1',
        namespace: 'web',
        plural: 'buckets',
      });
      expect(buckets.items[0].status.conditions).toEqual(
        expect.arrayContaining([expect.objectContaining({ type: 'Ready', status: 'False' })]),
      );
    }
  });

  it('stores connector claims under the connector hash with its labels', async () => {
    const cp = running()[0];
    const api = ingressClient(space, cp.name).makeApiClient(CustomObjectsApi);
    const name = connectorObjectName('shop-db', 'shop', space.state.appCluster.clusterId);
    const claim: any = await api.getNamespacedCustomObject({
      group: 'database.example.org',
      version: 'v1alpha1',
      namespace: cp.connectorClaimNamespace!,
      plural: 'postgresqlinstances',
      name,
    });
    expect(claim.metadata.labels).toMatchObject({
      'mcp-connector.upbound.io/app-cluster': space.state.appCluster.clusterId,
      'mcp-connector.upbound.io/app-namespace': 'shop',
      'mcp-connector.upbound.io/app-resource-name': 'shop-db',
    });
  });

  it('links managed resources to their XR with a real controller uid', async () => {
    const api = ingressClient(space, running()[0].name).makeApiClient(CustomObjectsApi);
    const xr: any = await api.getClusterCustomObject({
      group: 'database.example.org',
      version: 'v1alpha1',
      plural: 'xpostgresqlinstances',
      name: 'orders-db-7xk2p',
    });
    const mr: any = await api.getClusterCustomObject({
      group: 'rds.aws.upbound.io',
      version: 'v1beta3',
      plural: 'instances',
      name: xr.spec.resourceRefs[0].name,
    });
    expect(mr.metadata.ownerReferences[0]).toMatchObject({ uid: xr.metadata.uid, controller: true });
    expect(mr.metadata.labels['crossplane.io/composite']).toBe('orders-db-7xk2p');
  });

  it('creates, watches and deletes an object', async () => {
    const kc = ingressClient(space, running()[0].name);
    const core = kc.makeApiClient(CoreV1Api);
    const name = `watch-${Date.now()}`;
    const seen: string[] = [];
    let done: () => void;
    const deleted = new Promise<void>(resolve => {
      done = resolve;
    });
    const req = await new Watch(kc).watch(
      '/api/v1/namespaces/web/configmaps',
      {},
      (type: string, obj: any) => {
        if (obj?.metadata?.name !== name) return;
        seen.push(type);
        if (type === 'DELETED') done();
      },
      () => {},
    );
    try {
      await core.createNamespacedConfigMap({
        namespace: 'web',
        body: { metadata: { name }, data: { hello: 'world' } },
      });
      await core.deleteNamespacedConfigMap({ namespace: 'web', name });
      await deleted;
      expect(seen).toEqual(['ADDED', 'DELETED']);
    } finally {
      req.abort();
    }
  });

  it('rejects a wrong token with 401', async () => {
    const api = ingressClient(space, running()[0].name, 'not-a-token').makeApiClient(CoreV1Api);
    const err = await api.listNamespace().catch(e => e);
    expect(statusCode(err)).toBe(401);
  });

  it('answers 503 for a control plane that is not ready or stopped', async () => {
    const notReady = space.state.controlPlanes.find(cp => cp.port === null)!;
    const hubToken = space.tokens.hub;
    const err = await ingressClient(space, notReady.name, hubToken)
      .makeApiClient(CoreV1Api)
      .listNamespace()
      .catch(e => e);
    expect(statusCode(err)).toBe(503);

    const target = running()[1];
    await space.stopMcp(target.name);
    try {
      const down = await ingressClient(space, target.name)
        .makeApiClient(CoreV1Api)
        .listNamespace()
        .catch(e => e);
      expect(statusCode(down)).toBe(503);
      expect(String(down.body)).toContain('unreachable');
    } finally {
      await space.startMcp(target.name);
    }
    const back = await ingressClient(space, target.name).makeApiClient(CoreV1Api).listNamespace();
    expect(back.items.length).toBeGreaterThan(0);
  });
});
