/*
 * Integration tests against the local Space (packages/local-space): real kube-apiservers reached
 * through the Spaces ingress proxy. Run when UPBOUND_LOCAL_SPACE_STATE names a running local Space;
 * otherwise skipped with the reason.
 */
import fs from 'node:fs';
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { describeIfLocalSpace, getLocalSpace } from '@internal/local-space';
import { parse } from 'yaml';
import {
  createUpboundService,
  type DefaultUpboundService,
} from './service/DefaultUpboundService';
import { DefaultKubeClient } from './kube/DefaultKubeClient';
import { watchResource } from './kube/watchResource';
import { wellKnownTypes } from './kube/wellKnownTypes';
import type { ControlPlane, KubeObject } from './types';

/** Compacts the Space's etcd history, so a watch from an old resourceVersion gets 410 Gone. */
async function compactEtcd(etcdUrl: string): Promise<void> {
  const range = await fetch(`${etcdUrl}/v3/kv/range`, {
    method: 'POST',
    body: JSON.stringify({ key: 'AA==' }),
  });
  const revision = (await range.json()).header.revision;
  await fetch(`${etcdUrl}/v3/kv/compaction`, {
    method: 'POST',
    body: JSON.stringify({ revision, physical: true }),
  });
}

describeIfLocalSpace('the access layer against the local Space', () => {
  let upbound: DefaultUpboundService;
  let running: ControlPlane;

  beforeAll(async () => {
    const space = getLocalSpace()!;
    const config = parse(fs.readFileSync(space.state.appConfigPath, 'utf8'));
    upbound = createUpboundService({
      config: new ConfigReader(config),
      logger: mockServices.logger.mock(),
    });
    const inv = await upbound.inventory();
    const first = space.state.controlPlanes.find(c => c.running && c.ready)!;
    running = inv.controlPlanes.find(
      c => c.id === `space/local/${first.group}/${first.name}`,
    )!;
  }, 60_000);

  it('discovers every control plane of the Space through the hub', async () => {
    const space = getLocalSpace()!;
    const inv = await upbound.inventory();
    expect(inv.errors).toEqual([]);
    const ids = inv.controlPlanes.map(c => c.id).sort();
    expect(ids).toEqual(
      space.state.controlPlanes
        .map(c => `space/local/${c.group}/${c.name}`)
        .sort(),
    );
    for (const cp of space.state.controlPlanes) {
      const found = inv.controlPlanes.find(
        c => c.name === cp.name && c.group === cp.group,
      )!;
      expect(found.server).toBe(cp.ingressUrl);
      expect(found.ready.state).toBe(cp.ready ? 'True' : 'False');
    }
  });

  it('reaches each running control plane through the ingress and reads its claim APIs', async () => {
    const space = getLocalSpace()!;
    for (const cp of space.state.controlPlanes.filter(c => c.running)) {
      const apis = await upbound.claimApis(
        `space/local/${cp.group}/${cp.name}`,
      );
      expect(apis.map(a => a.name)).toEqual(
        expect.arrayContaining([
          'xbuckets.storage.example.org',
          'apps.platform.example.org',
        ]),
      );
      const bucket = apis.find(a => a.name === 'xbuckets.storage.example.org')!;
      expect(bucket).toMatchObject({
        claimKind: 'Bucket',
        scope: 'LegacyCluster',
      });
    }
  });

  it('reports a control plane without API server as an error of that control plane only', async () => {
    const space = getLocalSpace()!;
    const stopped = space.state.controlPlanes.find(c => !c.running);
    if (!stopped) return;
    const cp = await upbound.controlPlane(
      `space/local/${stopped.group}/${stopped.name}`,
    );
    await expect(
      cp.client.resourceTypes({ refresh: true }),
    ).rejects.toMatchObject({ type: 'server-error' });
  });

  it('pages with a small limit', async () => {
    const crdType = wellKnownTypes.customResourceDefinition;
    const all = await running.client.list(crdType);
    expect(all.items.length).toBeGreaterThan(3);
    const before = running.client.stats().byVerb.list ?? 0;
    const paged = await running.client.list(crdType, { pageSize: 2 });
    expect(paged.items.map(i => i.metadata?.name)).toEqual(
      all.items.map(i => i.metadata?.name),
    );
    expect((running.client.stats().byVerb.list ?? 0) - before).toBe(
      Math.ceil(all.items.length / 2),
    );
  });

  it('lists completely after etcd compacted past a continue token', async () => {
    const client = running.client as DefaultKubeClient;
    const type = wellKnownTypes.customResourceDefinition;
    const first = await client.listPage(type, { limit: 1 });
    expect(first.continue).toBeDefined();
    const bump = `list-test-${process.pid}-${Date.now()}`;
    await client.apply(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: bump, namespace: 'default' },
      },
      { fieldManager: 'upbound-node-test' },
    );
    await client.delete(wellKnownTypes.configMap, bump, 'default');
    await compactEtcd(getLocalSpace()!.state.etcd.url);
    // Servers that page from etcd answer 410 Gone here; 1.34+ may page from the watch cache instead.
    const next = await client
      .listPage(type, { limit: 1, continue: first.continue })
      .then(
        () => 'ok',
        e => `${e.type}/${e.statusCode}`,
      );
    expect(['ok', 'gone/410']).toContain(next);
    const all = await client.list(type, { pageSize: 1000 });
    expect(all.items.length).toBeGreaterThan(3);
  });

  it('sees an object created after the watch started, and survives a compacted resourceVersion', async () => {
    const client = running.client as DefaultKubeClient;
    const name = `watch-test-${process.pid}-${Date.now()}`;
    const type = wellKnownTypes.configMap;
    // An old resourceVersion: note one, change something, then compact history past it.
    const old = (
      await client.listPage(type, { namespace: 'default', limit: 1 })
    ).resourceVersion;
    await client.apply(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `${name}-bump`, namespace: 'default' },
      },
      { fieldManager: 'upbound-node-test' },
    );
    await compactEtcd(getLocalSpace()!.state.etcd.url);
    let lists = 0;
    const errors: string[] = [];
    let added!: () => void;
    const sawAdd = new Promise<void>(r => {
      added = r;
    });
    const handle = watchResource<KubeObject>(
      {
        transport: client.transport,
        type,
        namespace: 'default',
        // The first list reports the compacted resourceVersion. Depending on its watch cache the
        // server answers 410 Gone (the watch relists) or sends the current state; either way the
        // watch must go on and see what is created next.
        list: async () => {
          lists++;
          const real = await client.list(type, { namespace: 'default' });
          return lists === 1 ? { ...real, resourceVersion: old } : real;
        },
        backoffMs: { base: 100, max: 500 },
      },
      {
        onEvent: (t, obj) => {
          if (t === 'ADDED' && obj.metadata?.name === name) added();
        },
        onError: e => errors.push(e.type),
      },
    );
    try {
      await handle.ready;
      await client.apply(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, namespace: 'default' },
          data: { a: 'b' },
        },
        { fieldManager: 'upbound-node-test' },
      );
      await sawAdd;
      expect(errors.filter(e => e !== 'gone')).toEqual([]);
    } finally {
      handle.stop();
      await client.delete(type, name, 'default').catch(() => {});
      await client.delete(type, `${name}-bump`, 'default').catch(() => {});
    }
  }, 30_000);
});
