import { createFakeUpboundService } from './createFakeUpboundService';
import xrdV1 from './__fixtures__/xrd-v1-bucket.json';
import xrdV2 from './__fixtures__/xrd-v2-database.json';

describe('createFakeUpboundService', () => {
  it('serves control planes, claim APIs, app clusters and inventory changes', async () => {
    const upbound = createFakeUpboundService({
      controlPlanes: [
        {
          name: 'ctp1',
          space: 'local',
          group: 'default',
          objects: [xrdV1, xrdV2],
        },
      ],
      appClusters: [
        { name: 'app-1', clusterId: '00000000-0000-0000-0000-000000000001' },
      ],
      argocd: [
        {
          name: 'main',
          appCluster: 'app-1',
          namespace: 'argocd',
          url: 'https://argocd.invalid',
        },
      ],
    });
    const inv = await upbound.inventory();
    expect(inv.controlPlanes.map(c => c.id)).toEqual([
      'space/local/default/ctp1',
    ]);
    const apis = await upbound.claimApis('space/local/default/ctp1');
    expect(
      apis.map(a => [a.kind, a.claimKind, a.scope, a.referenceableVersion]),
    ).toEqual([
      ['Database', undefined, 'Namespaced', 'v1beta1'],
      ['XBucket', 'Bucket', 'LegacyCluster', 'v1alpha1'],
    ]);
    expect(upbound.appCluster('app-1').clusterId).toBe(
      '00000000-0000-0000-0000-000000000001',
    );
    expect(() => upbound.appCluster('nope')).toThrow(/not configured/);
    await expect(upbound.controlPlane('direct/nope')).rejects.toThrow(
      /not found/,
    );
    expect(
      await upbound.argoCdInstances()[0].request!(
        'GET',
        '/api/v1/applications',
      ),
    ).toEqual({});

    const seen: number[] = [];
    const off = upbound.onInventoryChange(s =>
      seen.push(s.controlPlanes.length),
    );
    upbound.addControlPlane({ name: 'oss', source: 'direct' });
    upbound.removeControlPlane('direct/oss');
    off();
    upbound.addControlPlane({ name: 'later', source: 'direct' });
    expect(seen).toEqual([2, 1]);
    expect(upbound.stats()['space/local/default/ctp1'].byVerb.list).toBe(1);
  });

  it('hands out the seeded token, and fails claim APIs when the control plane does', async () => {
    const upbound = createFakeUpboundService({
      controlPlanes: [
        { name: 'ctp1', group: 'platform', token: 's3cr3t', objects: [xrdV1] },
      ],
    });
    const id = 'space/local/platform/ctp1';
    expect(await upbound.controlPlaneCredentials(id)).toMatchObject({
      bearerToken: 's3cr3t',
      server: expect.stringContaining(
        '/namespaces/platform/controlplanes/ctp1/k8s',
      ),
    });
    upbound.client(id).setUnreachable(true);
    await expect(upbound.claimApis(id)).rejects.toMatchObject({
      type: 'unreachable',
    });
  });
});
