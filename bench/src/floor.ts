/**
 * The floor of a full read: the LIST calls our provider makes (the XRDs, then every claim type and
 * namespaced XR type, 500 per page with continue tokens) through the same Space ingress, with what
 * any client must do and nothing more: keep-alive HTTPS (one agent per control plane, built once, as
 * our access layer keeps its sockets) and JSON.parse of each page. Control planes are read with the
 * provider's concurrency (`catalog.providers.upbound.concurrency`, default 4), the types of one
 * control plane in parallel, pages in sequence: the same shape as the provider's read.
 */
import pLimit from 'p-limit';
import { KubeHttp } from './kube';

const PAGE = 500;
/** The provider's default `catalog.providers.upbound.concurrency`. */
export const PROVIDER_DEFAULT_CONCURRENCY = 4;
/** The access layer's default `upbound.concurrency.perCluster` (+4 sockets, as its agent has). */
const PER_CLUSTER_SOCKETS = 12;

export interface FloorResult {
  ms: number;
  calls: number;
  objects: number;
  bytes: number;
}

async function listAll(
  kube: KubeHttp,
  path: string,
  count: (bytes: number) => void,
): Promise<any[]> {
  const items: any[] = [];
  let cont: string | undefined;
  do {
    const q = `?limit=${PAGE}${
      cont ? `&continue=${encodeURIComponent(cont)}` : ''
    }`;
    const res = await kube.request('GET', path + q);
    count(res.bytes);
    if (res.status !== 200)
      throw new Error(`floor: GET ${path} answered ${res.status}`);
    items.push(...res.body.items);
    cont = res.body.metadata?.continue || undefined;
  } while (cont);
  return items;
}

/** Claim types and namespaced XR types of the XRDs, at their referenceable version. */
function typePaths(xrds: any[]): string[] {
  const paths: string[] = [];
  for (const xrd of xrds) {
    const version = (xrd.spec.versions ?? []).find(
      (v: any) => v.referenceable,
    )?.name;
    if (!version) continue;
    if (xrd.spec.claimNames)
      paths.push(
        `/apis/${xrd.spec.group}/${version}/${xrd.spec.claimNames.plural}`,
      );
    else if (xrd.spec.scope === 'Namespaced')
      paths.push(`/apis/${xrd.spec.group}/${version}/${xrd.spec.names.plural}`);
  }
  return paths;
}

/** Clients for the control planes' ingress kubeconfigs (built once; not part of the floor). */
export function floorClients(kubeconfigPaths: string[]): KubeHttp[] {
  return kubeconfigPaths.map(f =>
    KubeHttp.fromKubeconfig(f, PER_CLUSTER_SOCKETS),
  );
}

/** One full read of every control plane. */
export async function floorRead(
  clients: KubeHttp[],
  concurrency = PROVIDER_DEFAULT_CONCURRENCY,
): Promise<FloorResult> {
  let calls = 0;
  let objects = 0;
  let bytes = 0;
  const count = (b: number) => {
    calls++;
    bytes += b;
  };
  const limit = pLimit(concurrency);
  const t0 = performance.now();
  await Promise.all(
    clients.map(kube =>
      limit(async () => {
        const xrds = await listAll(
          kube,
          '/apis/apiextensions.crossplane.io/v1/compositeresourcedefinitions',
          count,
        );
        const lists = await Promise.all(
          typePaths(xrds).map(p => listAll(kube, p, count)),
        );
        objects += lists.reduce((n, l) => n + l.length, 0);
      }),
    ),
  );
  return { ms: performance.now() - t0, calls, objects, bytes };
}
