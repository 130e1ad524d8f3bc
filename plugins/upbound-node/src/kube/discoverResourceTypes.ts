import pLimit from 'p-limit';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ResourceType } from '../types';
import { resourceType } from './wellKnownTypes';
import type { KubeTransport } from './KubeTransport';

const AGGREGATED_ACCEPT = [
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
  'application/json',
].join(',');

interface AggregatedList {
  kind?: string;
  items?: Array<{
    metadata?: { name?: string };
    versions?: Array<{
      version?: string;
      freshness?: string;
      resources?: Array<{
        resource?: string;
        responseKind?: { group?: string; version?: string; kind?: string };
        scope?: string;
        categories?: string[];
      }>;
    }>;
  }>;
}

interface ApiResourceList {
  groupVersion?: string;
  resources?: Array<{
    name?: string;
    kind?: string;
    namespaced?: boolean;
    categories?: string[];
  }>;
}

interface ApiGroupList {
  kind?: string;
  groups?: Array<{
    name?: string;
    versions?: Array<{ groupVersion?: string; version?: string }>;
  }>;
}

function fromAggregated(list: AggregatedList, core: boolean): ResourceType[] {
  const out: ResourceType[] = [];
  for (const group of list.items ?? []) {
    const groupName = core ? '' : group.metadata?.name ?? '';
    for (const v of group.versions ?? []) {
      // A stale group (an APIService without a working backend) lists no usable resources.
      if (!v.version || v.freshness === 'Stale') continue;
      for (const r of v.resources ?? []) {
        if (!r.resource || !r.responseKind?.kind) continue;
        out.push(
          resourceType({
            group: groupName,
            version: v.version,
            kind: r.responseKind.kind,
            plural: r.resource,
            namespaced: r.scope === 'Namespaced',
            categories: r.categories,
          }),
        );
      }
    }
  }
  return out;
}

function fromResourceList(
  list: ApiResourceList,
  group: string,
  version: string,
): ResourceType[] {
  return (list.resources ?? [])
    .filter(r => r.name && r.kind && !r.name.includes('/'))
    .map(r =>
      resourceType({
        group,
        version,
        kind: r.kind!,
        plural: r.name!,
        namespaced: !!r.namespaced,
        categories: r.categories,
      }),
    );
}

/**
 * Reads every resource type the server serves from its discovery documents: aggregated discovery
 * (`/api` and `/apis` as APIGroupDiscoveryList) where the server supports it, otherwise `/api/v1`
 * and each `/apis/<group>/<version>`. Groups that fail (an APIService whose backend is down) are
 * skipped, so one broken extension never hides the rest.
 * @public
 */
export async function discoverResourceTypes(
  transport: KubeTransport,
  options: { logger?: LoggerService; concurrency?: number } = {},
): Promise<ResourceType[]> {
  const [core, groups] = await Promise.all([
    transport.requestJson<
      AggregatedList & ApiResourceList & { versions?: string[] }
    >({
      method: 'GET',
      path: '/api',
      verb: 'discovery',
      accept: AGGREGATED_ACCEPT,
    }),
    transport.requestJson<AggregatedList & ApiGroupList>({
      method: 'GET',
      path: '/apis',
      verb: 'discovery',
      accept: AGGREGATED_ACCEPT,
    }),
  ]);

  const types: ResourceType[] = [];
  const limit = pLimit(options.concurrency ?? 4);
  const fetchVersion = (group: string, version: string, path: string) =>
    limit(async () => {
      try {
        const list = await transport.requestJson<ApiResourceList>({
          method: 'GET',
          path,
          verb: 'discovery',
        });
        return fromResourceList(list ?? {}, group, version);
      } catch (e) {
        options.logger?.debug(
          `Skipping API group version ${path} on ${transport.clusterId}: ${
            (e as Error).message
          }`,
        );
        return [];
      }
    });

  if (core?.kind === 'APIGroupDiscoveryList') {
    types.push(...fromAggregated(core, true));
  } else {
    const versions = core?.versions ?? ['v1'];
    for (const list of await Promise.all(
      versions.map(v => fetchVersion('', v, `/api/${encodeURIComponent(v)}`)),
    )) {
      types.push(...list);
    }
  }

  if (groups?.kind === 'APIGroupDiscoveryList') {
    types.push(...fromAggregated(groups, false));
  } else {
    const jobs: Promise<ResourceType[]>[] = [];
    for (const g of groups?.groups ?? []) {
      if (!g.name) continue;
      for (const v of g.versions ?? []) {
        if (!v.version) continue;
        jobs.push(
          fetchVersion(
            g.name,
            v.version,
            `/apis/${encodeURIComponent(g.name)}/${encodeURIComponent(
              v.version,
            )}`,
          ),
        );
      }
    }
    for (const list of await Promise.all(jobs)) types.push(...list);
  }
  return types;
}
