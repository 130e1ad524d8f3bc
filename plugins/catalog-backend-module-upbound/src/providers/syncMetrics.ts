import type { Entity } from '@backstage/catalog-model';
import {
  KubeError,
  recordCatalogSync,
} from '@upbound-backstage/plugin-upbound-node';
import type { ControlPlaneState } from './ControlPlaneState';
import type { ReadResult } from './readControlPlane';

/** Records the OpenTelemetry metrics of one full sync (meter `upbound`). */
export function recordFullSyncMetrics(sync: {
  provider: string;
  started: number;
  results: ReadResult[];
  entities: Entity[];
  states: Iterable<ControlPlaneState>;
}): void {
  const typeOf = (e: unknown) => (e instanceof KubeError ? e.type : 'unknown');
  // A claim type that cannot be listed counts as an error of its control plane.
  const errors = sync.results.flatMap(r =>
    r.ok
      ? r.failures.map(f => ({ controlPlane: r.cp.id, type: typeOf(f.error) }))
      : [{ controlPlane: r.cp.id, type: typeOf(r.error) }],
  );
  recordCatalogSync({
    provider: sync.provider,
    durationMs: Date.now() - sync.started,
    result: errors.length ? 'partial' : 'ok',
    entities: sync.entities,
    errors,
    staleControlPlanes: [...sync.states].filter(s => s.stale).length,
  });
}

/** Records a full sync that applied nothing. */
export function recordFailedSyncMetrics(provider: string, started: number) {
  recordCatalogSync({
    provider,
    durationMs: Date.now() - started,
    result: 'failed',
  });
}
