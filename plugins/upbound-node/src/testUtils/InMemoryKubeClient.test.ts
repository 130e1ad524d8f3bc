import { KubeError } from '../types';
import { wellKnownTypes } from '../kube/wellKnownTypes';
import { InMemoryKubeClient } from './InMemoryKubeClient';
import xrdV1 from './__fixtures__/xrd-v1-bucket.json';
import xrdV2 from './__fixtures__/xrd-v2-database.json';

const claim = (
  name: string,
  ns: string,
  labels: Record<string, string> = {},
) => ({
  apiVersion: 'storage.example.org/v1alpha1',
  kind: 'Bucket',
  metadata: { name, namespace: ns, labels },
  spec: { parameters: { region: 'eu' } },
});

describe('InMemoryKubeClient', () => {
  const make = () =>
    new InMemoryKubeClient({
      clusterId: 'space/local/default/ctp1',
      objects: [
        xrdV1,
        xrdV2,
        claim('a', 'team-a', { tier: 'gold' }),
        claim('b', 'team-b'),
        claim('c', 'team-a'),
      ],
    });

  it('resolves types from seeded XRDs and reports missing ones as crd-missing', async () => {
    const client = make();
    const bucket = await client.resolve(
      'storage.example.org/v1alpha1',
      'Bucket',
    );
    expect(bucket).toMatchObject({ plural: 'buckets', namespaced: true });
    const xb = await client.resolve('storage.example.org/v1alpha1', 'XBucket');
    expect(xb.namespaced).toBe(false);
    expect(
      (await client.resolve('platform.example.org/v1beta1', 'Database'))
        .namespaced,
    ).toBe(true);
    await expect(client.resolve('nope.io/v1', 'Nope')).rejects.toMatchObject({
      type: 'crd-missing',
    });
  });

  it('lists with namespace, selectors and pages', async () => {
    const client = make();
    const bucket = await client.resolve(
      'storage.example.org/v1alpha1',
      'Bucket',
    );
    expect((await client.list(bucket)).items).toHaveLength(3);
    expect(
      (await client.list(bucket, { namespace: 'team-a' })).items,
    ).toHaveLength(2);
    expect(
      (await client.list(bucket, { labelSelector: 'tier in (gold)' })).items,
    ).toHaveLength(1);
    expect(
      (await client.list(bucket, { fieldSelector: 'metadata.name=b' })).items,
    ).toHaveLength(1);
    const p1 = await client.listPage(bucket, { limit: 2 });
    expect(p1.items).toHaveLength(2);
    const p2 = await client.listPage(bucket, {
      limit: 2,
      continue: p1.continue,
    });
    expect(p2.items).toHaveLength(1);
    expect(p2.continue).toBeUndefined();
  });

  it('applies, patches, deletes, honours dry runs and maps 404', async () => {
    const client = make();
    const bucket = await client.resolve(
      'storage.example.org/v1alpha1',
      'Bucket',
    );
    const dry = await client.apply(claim('d', 'team-a'), {
      fieldManager: 't',
      dryRun: true,
    });
    expect(dry).toBeDefined();
    expect(await client.tryGet(bucket, 'd', 'team-a')).toBeUndefined();
    await client.apply(claim('d', 'team-a'), { fieldManager: 't' });
    const patched = await client.mergePatch<any>(bucket, 'd', 'team-a', {
      metadata: { annotations: { 'crossplane.io/paused': 'true' } },
    });
    expect(patched.metadata.annotations['crossplane.io/paused']).toBe('true');
    await client.mergePatch(bucket, 'd', 'team-a', {
      metadata: { annotations: { 'crossplane.io/paused': null } },
    });
    expect(
      (await client.get<any>(bucket, 'd', 'team-a')).metadata.annotations,
    ).toEqual({});
    await client.delete(bucket, 'd', 'team-a');
    await expect(client.get(bucket, 'd', 'team-a')).rejects.toBeInstanceOf(
      KubeError,
    );
    await expect(client.delete(bucket, 'd', 'team-a')).rejects.toMatchObject({
      type: 'not-found',
    });
    expect(client.stats().byVerb).toMatchObject({
      apply: 2,
      patch: 2,
      delete: 2,
    });
  });

  it('watches: sync, then events, and a relist on expiry', async () => {
    const client = make();
    const bucket = await client.resolve(
      'storage.example.org/v1alpha1',
      'Bucket',
    );
    const events: string[] = [];
    const syncs: number[] = [];
    const w = client.watch(
      bucket,
      { namespace: 'team-a' },
      {
        onEvent: (t, o) => events.push(`${t}:${o.metadata?.name}`),
        onSync: items => syncs.push(items.length),
      },
    );
    await w.ready;
    client.upsert(claim('e', 'team-a'));
    client.upsert(claim('f', 'team-b'));
    client.remove(bucket, 'a', 'team-a');
    client.expireWatches();
    w.stop();
    client.upsert(claim('g', 'team-a'));
    expect(events).toEqual(['ADDED:e', 'DELETED:a']);
    expect(syncs).toEqual([2, 2]);
  });

  it('injects failures', async () => {
    const client = make();
    client.failNext('forbidden');
    await expect(client.list(wellKnownTypes.namespace)).rejects.toMatchObject({
      type: 'forbidden',
    });
    client.setUnreachable(true);
    await expect(client.list(wellKnownTypes.namespace)).rejects.toMatchObject({
      type: 'unreachable',
    });
  });
});
