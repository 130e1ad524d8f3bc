import type { KubeEvent } from '@upbound-backstage/plugin-upbound-common';
import type {
  KubeClient,
  KubeObject,
} from '@upbound-backstage/plugin-upbound-node';
import { isNotFoundKubeError } from './kubeErrors';
import type { ObjectRef } from './graphModel';

/** The object events are read for; `uid` narrows to this incarnation of the name. @public */
export interface EventsTarget extends ObjectRef {
  uid?: string;
}

function selector(
  prefix: string,
  target: EventsTarget,
  namespaced: boolean,
): string {
  const terms = [
    `${prefix}.name=${target.name}`,
    `${prefix}.kind=${target.kind}`,
  ];
  if (namespaced && target.namespace)
    terms.push(`${prefix}.namespace=${target.namespace}`);
  if (target.uid) terms.push(`${prefix}.uid=${target.uid}`);
  return terms.join(',');
}

function fromCoreV1(e: KubeObject): KubeEvent & { key: string } {
  const ev = e as any;
  const last =
    ev.lastTimestamp ??
    ev.eventTime ??
    ev.series?.lastObservedTime ??
    e.metadata?.creationTimestamp;
  return {
    key: e.metadata?.uid ?? `${ev.reason}|${ev.message}|${last}`,
    type: ev.type ?? 'Normal',
    reason: ev.reason,
    message: ev.message,
    count: ev.count ?? ev.series?.count ?? 1,
    firstTimestamp:
      ev.firstTimestamp ?? ev.eventTime ?? e.metadata?.creationTimestamp,
    lastTimestamp: last,
    source: ev.source?.component ?? ev.reportingComponent ?? undefined,
  };
}

function fromEventsV1(e: KubeObject): KubeEvent & { key: string } {
  const ev = e as any;
  const last =
    ev.series?.lastObservedTime ??
    ev.deprecatedLastTimestamp ??
    ev.eventTime ??
    e.metadata?.creationTimestamp;
  return {
    key: e.metadata?.uid ?? `${ev.reason}|${ev.note}|${last}`,
    type: ev.type ?? 'Normal',
    reason: ev.reason,
    message: ev.note,
    count: ev.series?.count ?? ev.deprecatedCount ?? 1,
    firstTimestamp:
      ev.deprecatedFirstTimestamp ??
      ev.eventTime ??
      e.metadata?.creationTimestamp,
    lastTimestamp: last,
    source:
      ev.reportingController ?? ev.deprecatedSource?.component ?? undefined,
  };
}

function time(t: string | undefined): number {
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

function clean(e: KubeEvent & { key: string }): KubeEvent {
  const { key: _key, ...rest } = e;
  return Object.fromEntries(
    Object.entries(rest).filter(([, v]) => v !== undefined && v !== null),
  ) as unknown as KubeEvent;
}

/**
 * Events of one object from core/v1 (involvedObject.*) and events.k8s.io/v1 (regarding.*), read
 * in parallel, merged, deduplicated (both APIs serve the same stored events) and newest first.
 * @public
 */
export class EventsService {
  async list(client: KubeClient, target: EventsTarget): Promise<KubeEvent[]> {
    const objectType = await client.resolve(target.apiVersion, target.kind);
    const namespaced = objectType.namespaced;
    // Events of cluster-scoped objects are stored in some namespace (usually default): search all.
    const namespace = namespaced ? target.namespace : undefined;

    const read = async (
      apiVersion: string,
      prefix: string,
      map: (e: KubeObject) => KubeEvent & { key: string },
    ) => {
      const type = await client.resolve(apiVersion, 'Event');
      const { items } = await client.list(type, {
        namespace,
        fieldSelector: selector(prefix, target, namespaced),
      });
      return items.map(map);
    };

    const [core, v1] = await Promise.allSettled([
      read('v1', 'involvedObject', fromCoreV1),
      read('events.k8s.io/v1', 'regarding', fromEventsV1),
    ]);
    if (core.status === 'rejected' && v1.status === 'rejected')
      throw core.reason;
    // A cluster without events.k8s.io/v1 (or core events) still answers from the other API.
    for (const r of [core, v1]) {
      if (r.status === 'rejected' && !isNotFoundKubeError(r.reason))
        throw r.reason;
    }

    const merged = new Map<string, KubeEvent & { key: string }>();
    for (const e of [
      ...(core.status === 'fulfilled' ? core.value : []),
      ...(v1.status === 'fulfilled' ? v1.value : []),
    ]) {
      const prior = merged.get(e.key);
      // Keep the richer copy: the one with the later timestamp or higher count.
      if (!prior || (e.count ?? 0) > (prior.count ?? 0)) merged.set(e.key, e);
    }
    return [...merged.values()]
      .sort((a, b) => time(b.lastTimestamp) - time(a.lastTimestamp))
      .map(clean);
  }
}
