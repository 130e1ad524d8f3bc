import { KubeError } from '../types';
import { wellKnownTypes } from '../kube/wellKnownTypes';
import { InMemoryKubeClient } from './InMemoryKubeClient';
import { gitOpsTypes, resourceTypeOf } from './resourceTypes';
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
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } },
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

  it('logs calls and writes, with what each asked for', async () => {
    const client = make();
    const bucket = await client.resolve(
      'storage.example.org/v1alpha1',
      'Bucket',
    );
    await client.list(bucket, { labelSelector: 'tier=gold' });
    await client.tryGet(bucket, 'nope', 'team-a');
    await client.apply(claim('d', 'team-a'), {
      fieldManager: 'me',
      dryRun: true,
    });
    await client.mergePatch(bucket, 'a', 'team-a', { spec: { x: 1 } });
    await client.delete(bucket, 'c', 'team-a');
    expect(client.calls.map(c => [c.method, c.verb, c.name])).toEqual([
      ['resolve', 'discovery', undefined],
      ['list', 'list', undefined],
      ['tryGet', 'get', 'nope'],
      ['apply', 'apply', 'd'],
      ['mergePatch', 'patch', 'a'],
      ['delete', 'delete', 'c'],
    ]);
    expect(client.calls[1].options).toEqual({ labelSelector: 'tier=gold' });
    expect(client.dataCalls).toHaveLength(5);
    expect(client.writes).toEqual([
      {
        verb: 'apply',
        apiVersion: 'storage.example.org/v1alpha1',
        kind: 'Bucket',
        plural: 'buckets',
        namespace: 'team-a',
        name: 'd',
        fieldManager: 'me',
        dryRun: true,
      },
      {
        verb: 'patch',
        apiVersion: 'storage.example.org/v1alpha1',
        kind: 'Bucket',
        plural: 'buckets',
        namespace: 'team-a',
        name: 'a',
      },
      {
        verb: 'delete',
        apiVersion: 'storage.example.org/v1alpha1',
        kind: 'Bucket',
        plural: 'buckets',
        namespace: 'team-a',
        name: 'c',
      },
    ]);
  });

  it('fails the calls a hook picks, and only those', async () => {
    const client = make();
    const bucket = await client.resolve(
      'storage.example.org/v1alpha1',
      'Bucket',
    );
    client.failWhen(c =>
      c.method === 'apply' && c.object?.metadata?.name === 'bad'
        ? new KubeError({
            type: 'invalid',
            statusCode: 422,
            cluster: client.clusterId,
            message: 'bad is invalid',
          })
        : undefined,
    );
    await expect(
      client.apply(claim('bad', 'team-a'), { fieldManager: 'me' }),
    ).rejects.toThrow('bad is invalid');
    await client.apply(claim('good', 'team-a'), { fieldManager: 'me' });
    expect(client.writes.map(w => w.name)).toEqual(['good']);
    client.failWhen(() => 'forbidden');
    await expect(client.list(bucket)).rejects.toMatchObject({
      type: 'forbidden',
    });
    client.failWhen(undefined);
    await expect(client.list(bucket)).resolves.toBeDefined();
    expect(client.stats().byStatus).toMatchObject({ 422: 1, error: 1 });
  });

  it('applies per field manager: dropped fields disappear, no-op applies keep the resourceVersion', async () => {
    const client = make();
    const bucket = await client.resolve(
      'storage.example.org/v1alpha1',
      'Bucket',
    );
    const mine = {
      ...claim('d', 'team-a', { mine: 'yes' }),
      spec: { parameters: { region: 'eu', size: 1 } },
    };
    const first = await client.apply(mine, { fieldManager: 'me' });
    await client.apply(
      {
        ...claim('d', 'team-a', { theirs: 'yes' }),
        spec: { parameters: { tier: 'gold' } },
      },
      { fieldManager: 'them' },
    );
    const both = await client.get(bucket, 'd', 'team-a');
    expect(both.metadata?.labels).toEqual({ mine: 'yes', theirs: 'yes' });
    expect(both.spec.parameters).toEqual({
      region: 'eu',
      size: 1,
      tier: 'gold',
    });
    expect(both.metadata?.managedFields).toEqual([
      expect.objectContaining({ manager: 'me', operation: 'Apply' }),
      expect.objectContaining({ manager: 'them', operation: 'Apply' }),
    ]);
    expect(both.metadata?.uid).toBe(first.metadata?.uid);

    // "me" stops applying its label and size: both go, the other manager's fields stay.
    const { labels: _l, ...metadata } = mine.metadata;
    const dropped = await client.apply(
      { ...mine, metadata, spec: { parameters: { region: 'eu' } } },
      { fieldManager: 'me' },
    );
    expect(dropped.metadata?.labels).toEqual({ theirs: 'yes' });
    expect(dropped.spec.parameters).toEqual({ region: 'eu', tier: 'gold' });

    const again = await client.apply(
      { ...mine, metadata, spec: { parameters: { region: 'eu' } } },
      { fieldManager: 'me' },
    );
    expect(again.metadata?.resourceVersion).toBe(
      dropped.metadata?.resourceVersion,
    );
  });

  it('keeps seeded owners in managedFields and refuses applies into missing namespaces', async () => {
    const client = make();
    const seeded = client.upsert(claim('kept', 'team-a'), {
      fieldManager: 'kubectl',
    });
    expect(seeded.metadata?.managedFields).toEqual([
      expect.objectContaining({ manager: 'kubectl' }),
    ]);
    const applied = await client.apply(claim('kept', 'team-a'), {
      fieldManager: 'me',
    });
    expect(applied.metadata?.managedFields?.map((f: any) => f.manager)).toEqual(
      ['kubectl', 'me'],
    );
    await expect(
      client.apply(claim('x', 'team-z'), { fieldManager: 'me' }),
    ).rejects.toMatchObject({ type: 'not-found', statusCode: 404 });
    expect(client.writes.map(w => w.name)).toEqual(['kept']);
  });

  it('serves added types and stops serving removed ones', async () => {
    const client = make();
    const widget = resourceTypeOf('example.org/v1', 'Widget', 'widgets');
    await expect(
      client.apply(
        {
          apiVersion: 'example.org/v1',
          kind: 'Widget',
          metadata: { name: 'w', namespace: 'team-a' },
        },
        { fieldManager: 'me' },
      ),
    ).rejects.toMatchObject({ type: 'crd-missing' });
    client.addTypes(widget);
    expect(await client.resolve('example.org/v1', 'Widget')).toEqual(widget);

    client.removeTypes(...gitOpsTypes);
    const kinds = (await client.resourceTypes()).map(t => t.kind);
    expect(kinds).not.toContain('HelmRelease');
    await expect(
      client.list(wellKnownTypes.argoApplication),
    ).rejects.toMatchObject({ type: 'crd-missing' });
  });

  it('answers after the configured latency', async () => {
    const client = make();
    client.latencyMs = 20;
    const started = Date.now();
    await client.list(wellKnownTypes.namespace);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('leaves the calls a hook hangs unanswered', async () => {
    const client = make();
    client.failWhen(c => (c.plural === 'buckets' ? 'hang' : undefined));
    const bucket = await client.resolve(
      'storage.example.org/v1alpha1',
      'Bucket',
    );
    const answered = jest.fn();
    client.list(bucket).then(answered, answered);
    await client.list(wellKnownTypes.namespace);
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(answered).not.toHaveBeenCalled();
    expect(client.calls.at(-2)).toMatchObject({ plural: 'buckets' });
  });
});
