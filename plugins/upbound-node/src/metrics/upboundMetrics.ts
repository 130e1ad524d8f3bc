import {
  metrics,
  type Attributes,
  type Counter,
  type Gauge,
  type Histogram,
  type MeterProvider,
} from '@opentelemetry/api';

/** Name of the OpenTelemetry meter of the Upbound plugins. @public */
export const UPBOUND_METER_NAME = 'upbound';

interface Instruments {
  requests: Counter;
  requestRetries: Counter;
  syncDuration: Histogram;
  syncErrors: Counter;
  entities: Gauge;
  staleControlPlanes: Gauge;
}

let cached: { provider: MeterProvider; instruments: Instruments } | undefined;

/**
 * The instruments, made from the meter provider registered now. The metrics API has no proxy
 * provider, so instruments made before an SDK registers would stay no-ops: re-made on change.
 */
function instruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (cached?.provider === provider) return cached.instruments;
  const meter = provider.getMeter(UPBOUND_METER_NAME);
  const made: Instruments = {
    requests: meter.createCounter('upbound.kube.requests', {
      description:
        'Kubernetes API calls per cluster, by verb and HTTP status (or timeout/error)',
    }),
    requestRetries: meter.createCounter('upbound.kube.retries', {
      description: 'Kubernetes API calls that were retries',
    }),
    syncDuration: meter.createHistogram('upbound.catalog.sync.duration', {
      description: 'Duration of a full catalog sync of the Upbound provider',
      unit: 's',
    }),
    syncErrors: meter.createCounter('upbound.catalog.sync.errors', {
      description:
        'Control planes that could not be read in a full sync, by control plane and error type',
    }),
    entities: meter.createGauge('upbound.catalog.entities', {
      description: 'Entities emitted by the last full sync, by kind and spec.type',
    }),
    staleControlPlanes: meter.createGauge(
      'upbound.catalog.stale_control_planes',
      {
        description:
          'Control planes whose entities are served from their last good read',
      },
    ),
  };
  cached = { provider, instruments: made };
  return made;
}

/** Counts one Kubernetes API call (the access layer calls this). @public */
export function recordKubeRequest(call: {
  cluster: string;
  verb: string;
  status: string;
  retry: boolean;
}): void {
  const i = instruments();
  const attributes: Attributes = {
    cluster: call.cluster,
    verb: call.verb,
    status: call.status,
  };
  i.requests.add(1, attributes);
  if (call.retry) i.requestRetries.add(1, attributes);
}

/**
 * Records one full catalog sync: its duration and result, the entities emitted per kind and type,
 * and one error per control plane that could not be read.
 * @public
 */
export function recordCatalogSync(sync: {
  provider: string;
  durationMs: number;
  result: 'ok' | 'partial' | 'failed';
  entities?: Array<{ kind: string; spec?: { type?: unknown } }>;
  errors?: Array<{ controlPlane: string; type: string }>;
  staleControlPlanes?: number;
}): void {
  const i = instruments();
  i.syncDuration.record(sync.durationMs / 1000, {
    provider: sync.provider,
    result: sync.result,
  });
  for (const e of sync.errors ?? []) {
    i.syncErrors.add(1, {
      provider: sync.provider,
      control_plane: e.controlPlane,
      type: e.type,
    });
  }
  if (sync.entities) {
    const counts = new Map<string, { kind: string; type: string; n: number }>();
    for (const e of sync.entities) {
      const type = typeof e.spec?.type === 'string' ? e.spec.type : '';
      const key = `${e.kind}\u0000${type}`;
      const c = counts.get(key) ?? { kind: e.kind, type, n: 0 };
      c.n++;
      counts.set(key, c);
    }
    for (const c of counts.values()) {
      i.entities.record(c.n, {
        provider: sync.provider,
        kind: c.kind,
        type: c.type,
      });
    }
  }
  if (sync.staleControlPlanes !== undefined) {
    i.staleControlPlanes.record(sync.staleControlPlanes, {
      provider: sync.provider,
    });
  }
}
