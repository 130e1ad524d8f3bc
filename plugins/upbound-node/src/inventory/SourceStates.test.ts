import type { ControlPlane } from '../types';
import { KubeError } from '../types';
import { mergeSources, SourceStates } from './SourceStates';

const cp = (id: string) => ({ id } as ControlPlane);
const ids = (s: SourceStates) => s.merged().controlPlanes.map(c => c.id);

describe('SourceStates', () => {
  it('keeps the last known control planes of a job that fails, with its error under the job key', () => {
    const states = new SourceStates();
    states.succeeded('space/local', [cp('space/local/a/x')]);
    const error = states.failed(
      'space/local',
      new KubeError({
        type: 'unauthorized',
        cluster: 'hub/local',
        statusCode: 401,
        message: 'rejected',
      }),
    );
    expect(error).toEqual({
      cluster: 'space/local',
      type: 'unauthorized',
      statusCode: 401,
      message: 'rejected',
    });
    expect(states.merged()).toEqual({
      controlPlanes: [cp('space/local/a/x')],
      errors: [error],
    });
    states.succeeded('space/local', []);
    expect(states.merged()).toEqual({ controlPlanes: [], errors: [] });
  });

  it('drops jobs that no longer exist, unless their source could not be listed', () => {
    const states = new SourceStates();
    const sources = ['space', 'cloud'];
    states.succeeded('cloud/a', [cp('cloud/a/g/x')]);
    states.succeeded('cloud/b', [cp('cloud/b/g/y')]);
    states.succeeded('space/local', [cp('space/local/g/z')]);

    // The Cloud listing fails: every Cloud Space keeps its control planes.
    states.listingFailed('cloud', new Error('no answer'));
    states.prune(new Set(['space/local']), sources);
    expect(ids(states)).toEqual([
      'cloud/a/g/x',
      'cloud/b/g/y',
      'space/local/g/z',
    ]);
    expect(states.merged().errors).toEqual([
      { cluster: 'cloud', type: 'unknown', message: 'cloud: no answer' },
    ]);

    // Listed again without Space b: it is gone.
    states.listed('cloud');
    states.prune(new Set(['cloud/a', 'space/local']), sources);
    expect(ids(states)).toEqual(['cloud/a/g/x', 'space/local/g/z']);
    expect(states.merged().errors).toEqual([]);
  });
});

describe('mergeSources', () => {
  it('keeps the first delivery of a control plane id and sorts by id', () => {
    const first = { ...cp('b'), name: 'first' } as ControlPlane;
    expect(
      mergeSources([
        { controlPlanes: [first, cp('c')] },
        { controlPlanes: [cp('b'), cp('a')] },
      ]).controlPlanes,
    ).toEqual([cp('a'), first, cp('c')]);
  });
});
