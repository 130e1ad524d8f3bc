import type { ClaimApi } from '@upbound-backstage/plugin-upbound-common';
import { ClaimApiCache } from './ClaimApiCache';

const api = (name: string) => ({ name } as ClaimApi);

describe('ClaimApiCache', () => {
  it('serves a read until it is older than the TTL, or a refresh is asked for', async () => {
    let now = 0;
    const load = jest.fn(async (id: string) => [api(`${id}-${now}`)]);
    const cache = new ClaimApiCache({ ttlMs: 1_000, now: () => now, load });

    expect(await cache.get('a')).toEqual([api('a-0')]);
    now = 999;
    expect(await cache.get('a')).toEqual([api('a-0')]);
    expect(await cache.get('a', { refresh: true })).toEqual([api('a-999')]);
    now = 1_999;
    expect(await cache.get('a')).toEqual([api('a-1999')]);
    expect(await cache.get('b')).toEqual([api('b-1999')]);
    expect(load).toHaveBeenCalledTimes(4);
  });

  it('shares one read between concurrent callers and keeps no failed read', async () => {
    const load = jest
      .fn<Promise<ClaimApi[]>, [string]>()
      .mockRejectedValueOnce(new Error('unreachable'))
      .mockResolvedValue([api('x')]);
    const cache = new ClaimApiCache({ ttlMs: 60_000, now: () => 0, load });

    const first = cache.get('a');
    const second = cache.get('a');
    await expect(first).rejects.toThrow('unreachable');
    await expect(second).rejects.toThrow('unreachable');
    expect(await cache.get('a')).toEqual([api('x')]);
    expect(load).toHaveBeenCalledTimes(2);
  });
});
