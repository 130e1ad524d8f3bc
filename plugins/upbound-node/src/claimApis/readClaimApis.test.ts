import type { ControlPlane, ResourceType } from '../types';
import xrdV1 from '../testUtils/__fixtures__/xrd-v1-bucket.json';
import { readClaimApis } from './readClaimApis';

const xrdType = (version: string): ResourceType => ({
  group: 'apiextensions.crossplane.io',
  version,
  apiVersion: `apiextensions.crossplane.io/${version}`,
  kind: 'CompositeResourceDefinition',
  plural: 'compositeresourcedefinitions',
  namespaced: false,
});

function controlPlane(types: ResourceType[]) {
  const list = jest.fn(async () => ({ items: [xrdV1], resourceVersion: '1' }));
  const cp = {
    id: 'direct/oss',
    client: { resourceTypes: async () => types, list },
  } as unknown as ControlPlane;
  return { cp, list };
}

describe('readClaimApis', () => {
  it('reads the XRDs as v2 where served', async () => {
    const { cp, list } = controlPlane([xrdType('v1'), xrdType('v2')]);
    const apis = await readClaimApis(cp);
    expect(apis.map(a => [a.kind, a.claimKind])).toEqual([
      ['XBucket', 'Bucket'],
    ]);
    expect(list).toHaveBeenCalledWith(xrdType('v2'));
  });

  it('says when Crossplane is not installed', async () => {
    const { cp } = controlPlane([]);
    await expect(readClaimApis(cp)).rejects.toMatchObject({
      name: 'KubeError',
      type: 'crd-missing',
      cluster: 'direct/oss',
      message: expect.stringContaining('is Crossplane installed?'),
    });
  });
});
