import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import type { ConditionSummary } from '@upbound-backstage/plugin-upbound-common';

/** Props of {@link ConditionStatus}. @public */
export interface ConditionStatusProps {
  /** Condition type shown as the label, e.g. `Ready`. */
  type: string;
  condition?: ConditionSummary;
  /** Show the message under the status instead of in a tooltip. */
  showMessage?: boolean;
  /** Colour Unknown as a warning (amber) rather than pending (grey). */
  unknownAsWarning?: boolean;
  /** Show only the reason (or state), for places where a column or key already names the type. */
  hideType?: boolean;
}

/**
 * A Crossplane condition as a Backstage status: True green, False red, Unknown grey (or amber),
 * with the reason next to it and the message in a tooltip or below.
 * @public
 */
export function ConditionStatus(props: ConditionStatusProps) {
  const { type, condition, showMessage, unknownAsWarning, hideType } = props;
  const state = condition?.state ?? 'Unknown';
  const value = condition?.reason ?? state;
  // Reasons are single CamelCase words: keep them on one line next to the icon.
  const label = (
    <span style={{ whiteSpace: 'nowrap' }}>
      {hideType ? value : `${type}: ${value}`}
    </span>
  );
  let status: JSX.Element;
  if (state === 'True') status = <StatusOK>{label}</StatusOK>;
  else if (state === 'False') status = <StatusError>{label}</StatusError>;
  else if (unknownAsWarning) status = <StatusWarning>{label}</StatusWarning>;
  else status = <StatusPending>{label}</StatusPending>;

  if (!condition?.message) return status;
  if (showMessage) {
    return (
      <div>
        {status}
        <Typography variant="body2" color="textSecondary" style={{ wordBreak: 'break-word' }}>
          {condition.message}
        </Typography>
      </div>
    );
  }
  return (
    <Tooltip title={condition.message}>
      <span>{status}</span>
    </Tooltip>
  );
}
