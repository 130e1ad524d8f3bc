import {
  ConflictError,
  CustomErrorBase,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { KubeError } from '@upbound-backstage/plugin-upbound-node';

/**
 * A cluster answered, but not usefully (refused our credentials or failed): 502 Bad Gateway.
 * @public
 */
export class ClusterRequestError extends CustomErrorBase {
  name = 'ClusterRequestError' as const;
  readonly statusCode = 502;
}

/**
 * Maps an access-layer error to the HTTP error the router answers with. The KubeError message
 * already names the cluster and path; it never carries credentials. The cause is not attached so
 * that nothing beyond that message is serialized.
 * @public
 */
export function toHttpError(error: unknown): unknown {
  if (!(error instanceof KubeError) && (error as Error)?.name !== 'KubeError') {
    return error;
  }
  const e = error as KubeError;
  // A Spaces ingress answers 503 for a control plane that is not ready: unavailable, not broken.
  if (e.statusCode === 503) return new ServiceUnavailableError(e.message);
  switch (e.type) {
    case 'unreachable':
    case 'timeout':
    case 'rate-limited':
      return new ServiceUnavailableError(e.message);
    case 'crd-missing':
    case 'not-found':
      return new NotFoundError(e.message);
    case 'invalid':
      return new InputError(e.message);
    case 'conflict':
      return new ConflictError(e.message);
    default:
      return new ClusterRequestError(e.message);
  }
}

/** True for errors that say the API or the object is not there (as opposed to a broken cluster). */
export function isNotFoundKubeError(error: unknown): boolean {
  const type = (error as KubeError)?.type;
  return (
    (error as Error)?.name === 'KubeError' &&
    (type === 'not-found' || type === 'crd-missing')
  );
}
