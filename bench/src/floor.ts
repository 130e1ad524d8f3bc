/**
 * The floor of a full ingestion: the same LIST calls our provider makes (the XRDs, then every claim
 * type and v2 namespaced XR type, 500 per page), made directly with @kubernetes/client-node through
 * the same Space ingress, all control planes at once, with nothing done to the results.
 */
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import type { LocalControlPlane } from '@internal/local-space';

const PAGE = 500;

interface ListTarget {
  group: string;
  version: string;
  plural: string;
}

async function listAll(
  api: CustomObjectsApi,
  t: ListTarget,
  count: () => void,
): Promise<any[]> {
  const items: any[] = [];
  let cont: string | undefined;
  do {
    count();
    const page = await api.listClusterCustomObject({
      ...t,
      limit: PAGE,
      _continue: cont,
    });
    items.push(...page.items);
    cont = page.metadata?.continue || undefined;
  } while (cont);
  return items;
}

function claimTargets(xrds: any[]): ListTarget[] {
  const targets: ListTarget[] = [];
  for (const xrd of xrds) {
    const version = (xrd.spec.versions ?? []).find(
      (v: any) => v.referenceable,
    )?.name;
    if (!version) continue;
    if (xrd.spec.claimNames)
      targets.push({
        group: xrd.spec.group,
        version,
        plural: xrd.spec.claimNames.plural,
      });
    else if (xrd.spec.scope === 'Namespaced')
      targets.push({
        group: xrd.spec.group,
        version,
        plural: xrd.spec.names.plural,
      });
  }
  return targets;
}

/** One control plane's clients, built once (client construction is not part of the floor). */
export function floorClients(controlPlanes: LocalControlPlane[]) {
  return controlPlanes
    .filter(cp => cp.running)
    .map(cp => {
      const kc = new KubeConfig();
      kc.loadFromFile(cp.ingressKubeconfigPath);
      return kc.makeApiClient(CustomObjectsApi);
    });
}

/** One full read; returns the number of calls and objects. */
export async function floorRead(
  clients: CustomObjectsApi[],
): Promise<{ calls: number; objects: number }> {
  let calls = 0;
  let objects = 0;
  const count = () => {
    calls++;
  };
  await Promise.all(
    clients.map(async api => {
      const xrds = await listAll(
        api,
        {
          group: 'apiextensions.crossplane.io',
          version: 'v1',
          plural: 'compositeresourcedefinitions',
        },
        count,
      );
      const lists = await Promise.all(
        claimTargets(xrds).map(async t => {
          const items = await listAll(api, t, count);
          return items.length;
        }),
      );
      objects += lists.reduce((a, b) => a + b, 0);
    }),
  );
  return { calls, objects };
}
