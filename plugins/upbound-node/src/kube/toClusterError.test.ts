import { KubeError } from '../types';
import { toClusterError } from './toClusterError';

describe('toClusterError', () => {
  it('keeps the cluster, type and status of a KubeError', () => {
    const error = new KubeError({
      type: 'forbidden',
      cluster: 'app-cluster/app-1',
      statusCode: 403,
      message: 'GET /api/v1/secrets on app-cluster/app-1 failed with 403',
    });
    expect(toClusterError('space/local/default/ctp1', error)).toEqual({
      cluster: 'app-cluster/app-1',
      type: 'forbidden',
      statusCode: 403,
      message: 'GET /api/v1/secrets on app-cluster/app-1 failed with 403',
    });
  });

  it('puts any other failure on the given cluster and names it in the message', () => {
    expect(toClusterError('direct/ctp', new Error('boom'))).toEqual({
      cluster: 'direct/ctp',
      type: 'unknown',
      message: 'direct/ctp: boom',
    });
    expect(toClusterError('direct/ctp', 'text')).toMatchObject({
      message: 'direct/ctp: text',
    });
  });
});
