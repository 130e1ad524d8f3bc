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
  // One cluster may fail several reads (one per claim API, say): name it once.
  const names = [...new Set(errors.map(e => e.cluster))];
  return (
    <WarningPanel
      severity="warning"
      title={`Some ${subject} could not be read: ${names.join(', ')}`}
    >
      {errors.map((e, i) => (
        <Typography key={`${e.cluster}-${e.type}-${i}`} variant="body2">
          <b>{e.cluster}</b> ({e.type}
          {e.statusCode ? ` ${e.statusCode}` : ''}): {e.message}
        </Typography>
      ))}
    </WarningPanel>
  );
}
