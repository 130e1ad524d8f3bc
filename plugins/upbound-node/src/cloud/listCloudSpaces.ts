import { KubeError } from '../types';
import type { KubeTransport } from '../kube/KubeTransport';

/** A Cloud Space as listed by the Upbound API. @public */
export interface CloudSpace {
  name: string;
  apiURL: string;
  provider?: string;
  region?: string;
  mode?: string;
  connection?: string;
}

/**
 * Lists the organization's Spaces from the Upbound API, skipping `legacy` Spaces as `up` does and
 * items without `status.apiURL`.
 * @public
 */
export async function listCloudSpaces(
  transport: KubeTransport,
  organization: string,
): Promise<CloudSpace[]> {
  const body = await transport.requestJson<{ items?: unknown }>({
    method: 'GET',
    path: `/apis/upbound.io/v1alpha1/namespaces/${encodeURIComponent(
      organization,
    )}/spaces`,
    verb: 'list',
  });
  if (!body || !Array.isArray(body.items)) {
    throw new KubeError({
      type: 'unknown',
      cluster: 'upbound-api',
      message: `The Upbound API returned no Space list for organization '${organization}'`,
    });
  }
  const out: CloudSpace[] = [];
  for (const item of body.items as any[]) {
    const name = item?.metadata?.name;
    const apiURL = item?.status?.apiURL;
    const mode = item?.metadata?.labels?.['spaces.upbound.io/mode'];
    if (
      typeof name !== 'string' ||
      typeof apiURL !== 'string' ||
      mode === 'legacy'
    )
      continue;
    out.push({
      name,
      apiURL: apiURL.replace(/\/+$/, ''),
      ...(item.spec?.provider ? { provider: item.spec.provider } : {}),
      ...(item.spec?.region ? { region: item.spec.region } : {}),
      ...(mode ? { mode } : {}),
      ...(item.status?.connection?.status
        ? { connection: item.status.connection.status }
        : {}),
    });
  }
  return out;
}
