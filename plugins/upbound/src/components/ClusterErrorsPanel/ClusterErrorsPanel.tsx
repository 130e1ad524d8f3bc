import { WarningPanel } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type { ClusterError } from '@upbound-backstage/plugin-upbound-common';

/** Props of {@link ClusterErrorsPanel}. @public */
export interface ClusterErrorsPanelProps {
  errors: ClusterError[] | undefined;
  /** What could not be read, e.g. "control planes". */
  subject?: string;
}

/**
 * Names every control plane or app cluster that could not be read, with the reason, so a dead
 * cluster never turns into a silently empty view.
 * @public
 */
export function ClusterErrorsPanel(props: ClusterErrorsPanelProps) {
  const { errors, subject = 'clusters' } = props;
  if (!errors?.length) return null;
  const names = errors.map(e => e.cluster).join(', ');
  return (
    <WarningPanel
      severity="warning"
      title={`Some ${subject} could not be read: ${names}`}
    >
      {errors.map(e => (
        <Typography key={`${e.cluster}-${e.type}`} variant="body2">
          <b>{e.cluster}</b> ({e.type}
          {e.statusCode ? ` ${e.statusCode}` : ''}): {e.message}
        </Typography>
      ))}
    </WarningPanel>
  );
}
