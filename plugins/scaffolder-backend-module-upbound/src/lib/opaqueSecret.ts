import type { KubeObject } from '@upbound-backstage/plugin-upbound-node';
import { withManagedByLabel } from './ownership';

/**
 * An Opaque Secret of ours holding the given values. They go into `data`, not `stringData`:
 * server-side apply tracks `data` fields, so reruns are no-ops.
 */
export function opaqueSecret(options: {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
  values: Record<string, string>;
}): KubeObject {
  const { name, namespace, labels, values } = options;
  return withManagedByLabel({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, ...(labels ? { labels } : {}) },
    type: 'Opaque',
    data: Object.fromEntries(
      Object.entries(values).map(([k, v]) => [
        k,
        Buffer.from(v, 'utf8').toString('base64'),
      ]),
    ),
  });
}
