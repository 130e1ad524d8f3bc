import {
  CTP_A,
  CTP_B,
  byName,
  claim,
  fakeUpbound,
  flush,
  postgresType,
  setup,
} from '../__testUtils__/providerHarness';

describe('UpboundEntityProvider full sync and watches together', () => {
  it('keeps changes that watches report while a full sync is reading', async () => {
    const upbound = fakeUpbound();
    const claimApis = upbound.claimApis.bind(upbound);
    let releaseB!: () => void;
    const bBlocked = new Promise<void>(resolve => {
      releaseB = resolve;
    });
    let block = false;
    upbound.claimApis = async (id, o) => {
      if (id === CTP_B && block) await bBlocked;
      return claimApis(id, o);
    };
    const t = await setup({ upbound });
    await t.fullSync();
    const deltasBefore = t.deltas().length;

    block = true;
    const sync = t.fullSync();
    // ctp-a has been read; ctp-b is still being read when these changes arrive.
    await flush();
    await flush();
    t.upbound.client(CTP_A).upsert(claim('during-sync'));
    t.upbound.client(CTP_A).remove(postgresType, 'orders-db', 'team-a');
    await flush();
    releaseB();
    await sync;

    expect(t.deltas().length).toBe(deltasBefore + 2);
    const entities = t.lastFull();
    expect(byName(entities, 'team-a/during-sync (ctp-a)')).toBeDefined();
    expect(byName(entities, 'team-a/orders-db (ctp-a)')).toBeUndefined();
    await t.provider.stop();
  });
});
