import pLimit from 'p-limit';
import {
  conditionsOf,
  summarizeCondition,
  type ControlPlaneSource,
} from '@upbound-backstage/plugin-upbound-common';
import {
  KubeError,
  type ControlPlane,
  type KubeClient,
  type KubeObject,
} from '../types';
import { wellKnownTypes } from '../kube/wellKnownTypes';
import { spacesControlPlanePath } from '../kube/paths';

/** The label that marks a namespace of a Space as a group. @public */
export const GROUP_LABEL = 'spaces.upbound.io/group';

/** A Space's ingress: where control planes are reached. */
export interface SpaceIngress {
  host: string;
  caData?: string;
}

/** Reads `upbound-system/ingress-public` (keys ingress-host, ingress-ca). */
export async function readSpaceIngress(
  client: KubeClient,
  spaceName: string,
): Promise<SpaceIngress> {
  const cm = await client.get<KubeObject & { data?: Record<string, string> }>(
    wellKnownTypes.configMap,
    'ingress-public',
    'upbound-system',
  );
  const host = cm.data?.['ingress-host']
    ?.replace(/^https?:\/\//, '')
    .replace(/\/+$/, '');
  if (!host) {
    throw new KubeError({
      type: 'invalid',
      cluster: client.clusterId,
      message: `ConfigMap upbound-system/ingress-public of Space '${spaceName}' has no ingress-host; set upbound.spaces[].ingress.host`,
    });
  }
  const caData = cm.data?.['ingress-ca'];
  return { host, ...(caData ? { caData } : {}) };
}

/** What discovery needs to build control planes of one Space. */
export interface SpaceDiscoveryOptions {
  source: Exclude<ControlPlaneSource, 'direct'>;
  space: string;
  /** Client that lists group namespaces and ControlPlane objects (hub or Space ingress). */
  listClient: KubeClient;
  ingress: SpaceIngress;
  /** Builds (or reuses) the client of one control plane at its `/k8s` URL. */
  controlPlaneClient(id: string, server: string): KubeClient;
  owner(cp: KubeObject, group: string): string | undefined;
  concurrency: number;
}

/** Discovers every ControlPlane in every group of one Space. */
export async function discoverSpace(
  options: SpaceDiscoveryOptions,
): Promise<ControlPlane[]> {
  const { listClient, source, space } = options;
  const groups = await listClient.list(wellKnownTypes.namespace, {
    labelSelector: `${GROUP_LABEL}=true`,
  });
  const limit = pLimit(options.concurrency);
  const perGroup = await Promise.all(
    groups.items.map(ns =>
      limit(() =>
        listClient.list(wellKnownTypes.controlPlane, {
          namespace: ns.metadata!.name!,
        }),
      ),
    ),
  );
  const out: ControlPlane[] = [];
  perGroup.forEach((list, i) => {
    const group = groups.items[i].metadata!.name!;
    for (const obj of list.items) {
      const name = obj.metadata?.name;
      if (!name) continue;
      const id = `${source}/${space}/${group}/${name}`;
      const server = `https://${options.ingress.host}${spacesControlPlanePath(
        group,
        name,
      )}`;
      const conditions = conditionsOf(obj);
      const healthy = conditions.some(c => c.type === 'Healthy')
        ? summarizeCondition(conditions, 'Healthy')
        : undefined;
      const owner = options.owner(obj, group);
      out.push({
        id,
        source,
        space,
        group,
        name,
        ready: summarizeCondition(conditions, 'Ready'),
        ...(healthy ? { healthy } : {}),
        conditions,
        ...(obj.spec?.crossplane?.version
          ? { crossplaneVersion: String(obj.spec.crossplane.version) }
          : {}),
        ...(typeof obj.status?.message === 'string' && obj.status.message
          ? { message: obj.status.message }
          : {}),
        ...(owner ? { owner } : {}),
        ...(obj.metadata?.creationTimestamp
          ? { createdAt: obj.metadata.creationTimestamp }
          : {}),
        client: options.controlPlaneClient(id, server),
        server,
        ...(options.ingress.caData ? { caData: options.ingress.caData } : {}),
      });
    }
  });
  return out;
}
