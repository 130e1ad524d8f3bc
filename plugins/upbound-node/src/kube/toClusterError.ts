import type { ClusterError } from '@upbound-backstage/plugin-upbound-common';
import { KubeError } from '../types';

/**
 * Any failure as per-cluster data, so one dead cluster never blanks a page or an inventory.
 * A {@link KubeError} names the cluster that failed (a callback may touch several); anything else
 * is put on `cluster`, and its message names it, as KubeError messages do.
 * @public
 */
export function toClusterError(cluster: string, error: unknown): ClusterError {
  // By name too: a KubeError from another copy of this package is still one.
  if (error instanceof KubeError || (error as Error)?.name === 'KubeError') {
    const e = error as KubeError;
    return {
      cluster: e.cluster || cluster,
      type: e.type,
      message: e.message,
      ...(e.statusCode ? { statusCode: e.statusCode } : {}),
    };
  }
  return {
    cluster,
    type: 'unknown',
    message: `${cluster}: ${(error as Error)?.message ?? String(error)}`,
  };
}
