import { KubeError } from '../types';

/**
 * Runs a read and turns `not-found` into `undefined`: what every KubeClient `tryGet` does.
 * Other errors pass through.
 */
export async function notFoundAsUndefined<T>(
  read: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof KubeError && e.type === 'not-found') return undefined;
    throw e;
  }
}
