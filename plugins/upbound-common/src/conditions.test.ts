import { claimApiUnavailable, conditionsOf, isFailing, summarizeCondition } from './conditions';

describe('conditions', () => {
  const obj = {
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'Creating',
          message: 'waiting',
          lastTransitionTime: '2025-01-01T00:00:00Z',
        },
        { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
        { type: 'Odd', status: 'Maybe' },
        { status: 'True' },
        null,
      ],
    },
  };

  it('reads conditions tolerating malformed entries', () => {
    expect(conditionsOf(obj).map(c => c.type)).toEqual([
      'Ready',
      'Synced',
      'Odd',
    ]);
    expect(conditionsOf({})).toEqual([]);
    expect(conditionsOf({ status: { conditions: 'nope' } })).toEqual([]);
    expect(conditionsOf(undefined)).toEqual([]);
  });

  it('summarizes without timestamps', () => {
    const c = conditionsOf(obj);
    expect(summarizeCondition(c, 'Ready')).toEqual({
      state: 'False',
      reason: 'Creating',
      message: 'waiting',
    });
    expect(summarizeCondition(c, 'Synced')).toEqual({
      state: 'True',
      reason: 'ReconcileSuccess',
    });
    expect(summarizeCondition(c, 'Odd')).toEqual({ state: 'Unknown' });
    expect(summarizeCondition(c, 'Healthy')).toEqual({ state: 'Unknown' });
    expect(summarizeCondition(undefined, 'Ready')).toEqual({
      state: 'Unknown',
    });
  });

  it('flags failing objects', () => {
    expect(isFailing({ ready: { state: 'False' } })).toBe(true);
    expect(
      isFailing({ ready: { state: 'True' }, synced: { state: 'False' } }),
    ).toBe(true);
    expect(
      isFailing({ ready: { state: 'Unknown' }, synced: { state: 'True' } }),
    ).toBe(false);
  });
});

describe('claimApiUnavailable', () => {
  const api = { name: 'xdatabases.example.org', claimKind: 'Database' };
  it('says why an XRD that is not Established or a claim that is not Offered cannot be created', () => {
    expect(claimApiUnavailable({ ...api, established: { state: 'True' }, offered: { state: 'True' } })).toBeUndefined();
    expect(claimApiUnavailable(api)).toBeUndefined();
    expect(
      claimApiUnavailable({ ...api, established: { state: 'False', reason: 'ReconcileError', message: 'cannot apply CRD' } }),
    ).toBe('XRD xdatabases.example.org is not Established (ReconcileError: cannot apply CRD)');
    expect(claimApiUnavailable({ ...api, established: { state: 'True' }, offered: { state: 'Unknown' } })).toBe(
      'claim Database of XRD xdatabases.example.org is not Offered (Unknown)',
    );
    // The XR itself of an XRD whose claim is not Offered can still be created.
    expect(
      claimApiUnavailable({ ...api, established: { state: 'True' }, offered: { state: 'False' } }, 'composite'),
    ).toBeUndefined();
  });
});
