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
  const errors = sync.results.flatMap(r =>
    r.ok
      ? []
      : [
          {
            controlPlane: r.cp.id,
            type: r.error instanceof KubeError ? r.error.type : 'unknown',
          },
        ],
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
