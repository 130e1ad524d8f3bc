import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  Watch,
} from '@kubernetes/client-node';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
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

function readyOf(obj: any): string | undefined {
  return obj?.status?.conditions?.find((c: any) => c.type === 'Ready')?.status;
}

/** Polls `fn` until it returns a value (not undefined). */
async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise(r => setTimeout(r, 250));
  }
}

function statusCode(e: any): number | undefined {
  return e?.code ?? e?.statusCode ?? e?.response?.statusCode;
}

describeIfLocalSpace('local Space through the ingress proxy', () => {
  const space = getLocalSpace()!;
  const running = () => space.state.controlPlanes.filter(cp => cp.port !== null);

  it('lists the seeded claims of every control plane, each reconciled by Crossplane', async () => {
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
        version: 'v1beta1',
        namespace: 'web',
        plural: 'buckets',
      });
      // The bucket never becomes ready: Crossplane says the claim waits for its composite.
      expect(buckets.items[0].status.conditions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'Synced', status: 'True', reason: 'ReconcileSuccess' }),
          expect.objectContaining({
            type: 'Ready',
            status: 'False',
            reason: 'Waiting',
            message: 'Claim is waiting for composite resource to become Ready',
          }),
        ]),
      );
    }
  });

  it('stores connector claims under the connector hash with its labels, composed like any claim', async () => {
    const cp = running()[0];
    const api = ingressClient(space, cp.name).makeApiClient(CustomObjectsApi);
    const name = connectorObjectName('shop-db', 'shop', space.state.appCluster.clusterId);
    const claim: any = await eventually(async () => {
      const c: any = await api.getNamespacedCustomObject({
        group: 'database.example.org',
        version: 'v1alpha1',
        namespace: cp.connectorClaimNamespace!,
        plural: 'postgresqlinstances',
        name,
      });
      return c.spec.resourceRef ? c : undefined;
    });
    expect(claim.metadata.labels).toMatchObject({
      'mcp-connector.upbound.io/app-cluster': space.state.appCluster.clusterId,
      'mcp-connector.upbound.io/app-namespace': 'shop',
      'mcp-connector.upbound.io/app-resource-name': 'shop-db',
    });
    // Crossplane names the composite after the claim plus five random characters.
    expect(claim.spec.resourceRef.name).toMatch(new RegExp(`^${name}-[a-z0-9]{5}$`));
  });

  it('has Crossplane compose a claim: XR, nested XR and NopResources linked by real uids, labels and annotations', async () => {
    const api = ingressClient(space, running()[0].name).makeApiClient(CustomObjectsApi);
    const claim: any = await eventually(async () => {
      const c: any = await api.getNamespacedCustomObject({
        group: 'database.example.org',
        version: 'v1alpha1',
        namespace: 'payments',
        plural: 'postgresqlinstances',
        name: 'orders-db',
      });
      return readyOf(c) === 'True' ? c : undefined;
    }, 60_000);
    const xr: any = await api.getClusterCustomObject({
      group: 'database.example.org',
      version: 'v1alpha1',
      plural: 'xpostgresqlinstances',
      name: claim.spec.resourceRef.name,
    });
    expect(xr.spec.claimRef).toMatchObject({ kind: 'PostgreSQLInstance', namespace: 'payments', name: 'orders-db' });
    expect(xr.metadata.labels).toMatchObject({
      'crossplane.io/composite': xr.metadata.name,
      'crossplane.io/claim-name': 'orders-db',
      'crossplane.io/claim-namespace': 'payments',
    });
    expect(xr.spec.resourceRefs.map((r: any) => r.kind).sort()).toEqual(['NopResource', 'XNetwork']);
    const instanceRef = xr.spec.resourceRefs.find((r: any) => r.kind === 'NopResource');
    const mr: any = await api.getClusterCustomObject({
      group: 'nop.crossplane.io',
      version: 'v1alpha1',
      plural: 'nopresources',
      name: instanceRef.name,
    });
    expect(mr.metadata.ownerReferences[0]).toMatchObject({ uid: xr.metadata.uid, controller: true });
    expect(mr.metadata.labels['crossplane.io/composite']).toBe(xr.metadata.name);
    expect(mr.metadata.annotations['crossplane.io/composition-resource-name']).toBe('instance');
    expect(mr.spec.forProvider.fields).toMatchObject({ allocatedStorage: 50, engineVersion: '16' });
    const network: any = await api.getClusterCustomObject({
      group: 'network.example.org',
      version: 'v1alpha1',
      plural: 'xnetworks',
      name: xr.spec.resourceRefs.find((r: any) => r.kind === 'XNetwork').name,
    });
    expect(readyOf(network)).toBe('True');
    expect(network.metadata.labels['crossplane.io/claim-name']).toBe('orders-db');
  });

  it('reports the failing NopResource with the provider\'s own error and event', async () => {
    const kc = ingressClient(space, running()[0].name);
    const api = kc.makeApiClient(CustomObjectsApi);
    const bucket: any = await eventually(async () => {
      const list: any = await api.listClusterCustomObject({
        group: 'nop.crossplane.io',
        version: 'v1alpha1',
        plural: 'nopresources',
        labelSelector: 'crossplane.io/claim-name=assets',
      });
      return list.items.find((i: any) =>
        i.status?.conditions?.some((c: any) => c.type === 'Synced' && c.status === 'False'),
      );
    }, 60_000);
    expect(bucket.metadata.annotations['crossplane.io/composition-resource-name']).toBe('bucket');
    expect(bucket.status.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'Synced',
          reason: 'ReconcileError',
          message: expect.stringContaining('namespaces "bucket-secrets" not found'),
        }),
      ]),
    );
    const events = await eventually(async () => {
      const list = await kc.makeApiClient(CoreV1Api).listNamespacedEvent({
        namespace: 'default',
        fieldSelector: `involvedObject.name=${bucket.metadata.name}`,
      });
      return list.items.length ? list.items : undefined;
    });
    expect(events[0]).toMatchObject({
      type: 'Warning',
      reason: 'CannotPublishConnectionDetails',
      source: { component: 'managed/nopresource.nop.crossplane.io' },
    });
  });

  it('seeds, without Crossplane, the same claim and XR CRDs that Crossplane generates', async () => {
    const file = path.join(__dirname, '../fixtures/mcp/without-crossplane/generated-claims-and-composites.yaml');
    const stored = parseAllDocuments(fs.readFileSync(file, 'utf8')).map(d => d.toJS());
    const kc = ingressClient(space, running()[0].name);
    // Raw JSON: the typed client renames schema keys such as x-kubernetes-list-type.
    const crds: any = await kc.makeApiClient(CustomObjectsApi).listClusterCustomObject({
      group: 'apiextensions.k8s.io',
      version: 'v1',
      plural: 'customresourcedefinitions',
    });
    const generated: any[] = crds.items.filter((c: any) =>
      c.metadata.ownerReferences?.some((o: any) => o.kind === 'CompositeResourceDefinition'),
    );
    expect(stored.map(c => c.metadata.name).sort()).toEqual(generated.map(c => c.metadata.name).sort());
    for (const crd of generated) {
      expect(crd.spec).toEqual(stored.find(c => c.metadata.name === crd.metadata.name).spec);
    }
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

    // Its Crossplane stopped with it and started again: a new claim is composed.
    const api = ingressClient(space, target.name).makeApiClient(CustomObjectsApi);
    const claim = { group: 'database.example.org', version: 'v1alpha1', namespace: 'payments', plural: 'postgresqlinstances' };
    const name = `restart-${Date.now().toString(36)}`;
    await api.createNamespacedCustomObject({
      ...claim,
      body: { apiVersion: 'database.example.org/v1alpha1', kind: 'PostgreSQLInstance', metadata: { name }, spec: { parameters: { storageGB: 20 } } },
    });
    try {
      await eventually(async () => {
        const c: any = await api.getNamespacedCustomObject({ ...claim, name });
        return c.spec.resourceRef ? c : undefined;
      }, 60_000);
    } finally {
      await api.deleteNamespacedCustomObject({ ...claim, name });
    }
  });
});
