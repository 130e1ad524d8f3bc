import type { Entity } from '@backstage/catalog-model';
import { WarningPanel } from '@backstage/core-components';
import {
  ANNOTATION_CONTROL_PLANE,
  ANNOTATION_CONTROL_PLANE_ID,
  ANNOTATION_STALE,
  ANNOTATION_STALE_REASON,
} from '@upbound-backstage/plugin-upbound-common';
import { relativeTime } from '../../lib/time';

/** Props of {@link StaleEntityWarning}. */
export interface StaleEntityWarningProps {
  entity: Entity;
  /** Control plane name to show when the entity has no control plane annotation. */
  controlPlaneName?: string;
}

/**
 * Says that the catalog serves this entity from the last good read of its control plane, since
 * when and why, so a stale Ready/Synced state is never taken for the current one. Renders nothing
 * while the control plane is read normally.
 */
export function StaleEntityWarning(props: StaleEntityWarningProps) {
  const { entity, controlPlaneName } = props;
  const annotations = entity.metadata.annotations ?? {};
  const since = annotations[ANNOTATION_STALE];
  if (!since) return null;
  const reason = annotations[ANNOTATION_STALE_REASON];
  const name =
    annotations[ANNOTATION_CONTROL_PLANE] ??
    controlPlaneName ??
    annotations[ANNOTATION_CONTROL_PLANE_ID] ??
    entity.metadata.title ??
    entity.metadata.name;
  const when = relativeTime(since) ?? since;
  return (
    <WarningPanel
      severity="warning"
      defaultExpanded
      title={`Control plane ${name} could not be read since ${when}; showing the last known state.`}
      message={reason ? `Reason: ${reason}` : undefined}
    />
  );
}
