import type { Entity } from '@backstage/catalog-model';
import { WarningPanel } from '@backstage/core-components';
import {
  ANNOTATION_NEVER_READ,
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
  if (annotations[ANNOTATION_NEVER_READ]) {
    // Nothing of it was ever read: there is no "last known state" to show.
    return (
      <WarningPanel
        severity="error"
        defaultExpanded
        title={`Control plane ${name} could not be read since ${when}, and never was: the catalog has none of its claims or claim APIs yet.`}
        message={`${
          reason ? `Reason: ${reason}. ` : ''
        }Check that the control plane is running and that the configured token may read it; its entities appear at the next full sync that reaches it.`}
      />
    );
  }
  // A claim type that could not be listed names itself in the reason; the control plane is fine.
  if (reason && / could not be listed: /.test(reason)) {
    return (
      <WarningPanel
        severity="warning"
        defaultExpanded
        title={`Claims of this kind in control plane ${name} could not be listed since ${when}; showing their last known state.`}
        message={`Reason: ${reason}. Every other kind in the control plane is current; this one updates once the catalog may list it again.`}
      />
    );
  }
  return (
    <WarningPanel
      severity="warning"
      defaultExpanded
      title={`Control plane ${name} could not be read since ${when}; showing the last known state.`}
      message={reason ? `Reason: ${reason}` : undefined}
    />
  );
}
