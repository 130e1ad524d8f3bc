import Tooltip from '@material-ui/core/Tooltip';
import { absoluteTime, relativeTime } from '../../lib/time';

/** Props of {@link RelativeTime}. */
export interface RelativeTimeProps {
  /** ISO timestamp. */
  iso?: string;
  /** Shown when there is no (parsable) time. */
  fallback?: string;
}

/** "3 minutes ago", with the full local date and time on hover. */
export function RelativeTime(props: RelativeTimeProps) {
  const { iso, fallback = '' } = props;
  const relative = relativeTime(iso);
  const absolute = absoluteTime(iso);
  if (!iso || !relative || !absolute) return <>{fallback}</>;
  return (
    <Tooltip title={absolute}>
      <time dateTime={iso} style={{ whiteSpace: 'nowrap' }}>
        {relative}
      </time>
    </Tooltip>
  );
}
