import type { KubeClient, KubeObject } from '@upbound-backstage/plugin-upbound-node';
import { gunzipSync } from 'node:zlib';
import { parseAllDocuments } from 'yaml';

/** A Helm 3 release as stored in its Secrets (`sh.helm.release.v1.<name>.v<N>`); values are not kept. */
export interface HelmReleaseRecord {
  name: string;
  namespace: string;
  version: number;
  chart?: string;
  chartVersion?: string;
  /** The rendered objects, what `helm uninstall` deletes. */
  objects: KubeObject[];
  /** The release's storage Secrets, every revision. */
  secrets: KubeObject[];
}

function decode(secret: KubeObject): any | undefined {
  const data = (secret as any).data?.release;
  if (typeof data !== 'string') return undefined;
  try {
    const inner = Buffer.from(Buffer.from(data, 'base64').toString('utf8'), 'base64');
    return JSON.parse(gunzipSync(inner).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The newest revision of Helm release `name` in `namespace`, or undefined when there is none. */
export async function readHelmRelease(
  client: KubeClient,
  name: string,
  namespace: string,
): Promise<HelmReleaseRecord | undefined> {
  const secretType = await client.resolve('v1', 'Secret');
  const { items } = await client.list(secretType, {
    namespace,
    labelSelector: `owner=helm,name=${name}`,
  });
  let newest: any;
  for (const secret of items) {
    const release = decode(secret);
    if (release && (!newest || release.version > newest.version)) newest = release;
  }
  if (!newest) return undefined;
  const objects = parseAllDocuments(String(newest.manifest ?? ''))
    .map(d => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => !!o?.kind && !!o.metadata?.name);
  return {
    name,
    namespace,
    version: newest.version,
    chart: newest.chart?.metadata?.name,
    chartVersion: newest.chart?.metadata?.version,
    objects,
    secrets: items,
  };
}
