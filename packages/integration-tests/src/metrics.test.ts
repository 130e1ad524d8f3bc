/*
 * OpenTelemetry metrics (meter `upbound`): API calls per cluster by verb and status, full sync
 * durations, entity counts and per-control-plane sync errors, read through an in-memory reader
 * registered as the global meter provider.
 */
import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { describeIfLocalSpace, getLocalSpace } from '@internal/local-space';
import { FaultProxy } from './lib/FaultProxy';
import {
  DEV_ID,
  PROD_ID,
  PROD_PATH,
  spaceConfig,
  startUpboundBackend,
  type UpboundTestBackend,
} from './lib/harness';

describeIfLocalSpace('OpenTelemetry metrics', () => {
  let reader: PeriodicExportingMetricReader;
  let provider: MeterProvider;
  let proxy: FaultProxy;
  let backend: UpboundTestBackend;

  beforeAll(async () => {
    reader = new PeriodicExportingMetricReader({
      exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
      exportIntervalMillis: 3_600_000,
    });
    provider = new MeterProvider({ readers: [reader] });
    if (!metrics.setGlobalMeterProvider(provider)) {
      throw new Error('a global meter provider was already registered');
    }
    const space = getLocalSpace()!;
    proxy = await FaultProxy.start({
      upstream: space.state.ingress.url,
      upstreamCa: space.ca,
      target: PROD_PATH,
    });
    const config = spaceConfig(space);
    config.upbound.spaces[0].ingress = { host: proxy.host, caData: proxy.ca };
    config.catalog = { providers: { upbound: { watch: false } } };
    backend = await startUpboundBackend(config);
  });

  afterAll(async () => {
    await backend?.stop();
    await proxy?.stop();
    await provider?.shutdown();
    metrics.disable();
  });

  async function collect(): Promise<Map<string, MetricData>> {
    const { resourceMetrics } = await reader.collect();
    const out = new Map<string, MetricData>();
    for (const scope of resourceMetrics.scopeMetrics) {
      if (scope.scope.name !== 'upbound') continue;
      for (const m of scope.metrics) out.set(m.descriptor.name, m);
    }
    return out;
  }

  const points = (m: MetricData | undefined) =>
    (m?.dataPoints ?? []) as Array<{ attributes: Record<string, any>; value: any }>;

  it('reports API calls, sync durations, entity counts and errors', async () => {
    await backend.fullSync();
    proxy.setFault({ kind: 'status', status: 500 });
    await backend.fullSync();
    proxy.clear();

    const m = await collect();
    const requests = points(m.get('upbound.kube.requests'));
    const count = (cluster: string, status: string) =>
      requests
        .filter(p => p.attributes.cluster === cluster && p.attributes.status === status)
        .reduce((n, p) => n + (p.value as number), 0);
    expect(count(DEV_ID, '200')).toBeGreaterThan(0);
    expect(count(PROD_ID, '200')).toBeGreaterThan(0);
    expect(count(PROD_ID, '500')).toBeGreaterThan(0);
    expect(requests.some(p => p.attributes.verb === 'list')).toBe(true);
    expect(
      points(m.get('upbound.kube.retries')).some(
        p => p.attributes.cluster === PROD_ID && p.attributes.status === '500',
      ),
    ).toBe(true);

    const durations = m.get('upbound.catalog.sync.duration')!;
    expect(durations.dataPointType).toBe(DataPointType.HISTOGRAM);
    const syncs = points(durations).reduce((n, p) => n + p.value.count, 0);
    expect(syncs).toBe(2);
    expect(points(durations).every(p => p.value.sum > 0)).toBe(true);

    const errors = points(m.get('upbound.catalog.sync.errors'));
    expect(errors).toContainEqual(
      expect.objectContaining({
        attributes: expect.objectContaining({
          control_plane: PROD_ID,
          type: 'server-error',
        }),
        value: 1,
      }),
    );
    expect(errors.some(p => p.attributes.control_plane === DEV_ID)).toBe(false);

    const entities = points(m.get('upbound.catalog.entities'));
    const of = (kind: string, type: string) =>
      entities.find(p => p.attributes.kind === kind && p.attributes.type === type)
        ?.value;
    expect(of('Resource', 'upbound-control-plane')).toBeGreaterThanOrEqual(3);
    expect(of('Resource', 'crossplane-claim')).toBeGreaterThan(0);
    expect(of('API', 'openapi')).toBeGreaterThan(0);
    expect(
      points(m.get('upbound.catalog.stale_control_planes'))[0]?.value,
    ).toBeGreaterThanOrEqual(1);
  });
});
