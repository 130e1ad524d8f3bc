import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import Timeline from '@material-ui/lab/Timeline';
import TimelineConnector from '@material-ui/lab/TimelineConnector';
import TimelineContent from '@material-ui/lab/TimelineContent';
import TimelineDot from '@material-ui/lab/TimelineDot';
import TimelineItem from '@material-ui/lab/TimelineItem';
import TimelineOppositeContent from '@material-ui/lab/TimelineOppositeContent';
import TimelineSeparator from '@material-ui/lab/TimelineSeparator';
import type { DeliveryStep } from '@upbound-backstage/plugin-upbound-common';
import { RelativeTime } from '../RelativeTime';

const useStyles = makeStyles(theme => ({
  timeline: { padding: 0, margin: 0 },
  // The time column stays narrow so titles and messages get the card's width.
  time: { flex: '0 0 8.5rem', paddingLeft: 0, paddingTop: theme.spacing(1.25) },
  content: {
    paddingTop: theme.spacing(1),
    paddingBottom: theme.spacing(2),
    minWidth: 0,
  },
  stuck: {
    borderLeft: `3px solid ${theme.palette.warning.main}`,
    background: theme.palette.action.hover,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(1, 1.5),
  },
  stuckFailed: { borderLeftColor: theme.palette.error.main },
  title: { wordBreak: 'break-word' },
  message: { wordBreak: 'break-word', whiteSpace: 'pre-wrap' },
  after: { opacity: 0.6 },
  dot: {
    padding: 0,
    borderWidth: 0,
    boxShadow: 'none',
    background: 'transparent',
    margin: theme.spacing(1, 0),
  },
  done: { color: theme.palette.success.main },
  failed: { color: theme.palette.error.main },
  pending: { color: theme.palette.warning.main },
  stuckChip: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  stuckChipFailed: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
}));

const STATE_LABEL: Record<DeliveryStep['state'], string> = {
  done: 'Done',
  failed: 'Failed',
  pending: 'Pending',
};

/** Full commit SHAs in a step title, shortened: the whole title stays on hover. */
function shortenShas(text: string): string {
  return text.replace(/\b([0-9a-f]{7})(?:[0-9a-f]{33}|[0-9a-f]{57})\b/g, '$1');
}

function StateIcon({ state }: { state: DeliveryStep['state'] }) {
  const classes = useStyles();
  const props = { titleAccess: STATE_LABEL[state], className: classes[state] };
  if (state === 'done') return <CheckCircleIcon {...props} />;
  if (state === 'failed') return <ErrorIcon {...props} />;
  return <HourglassEmptyIcon {...props} />;
}

/** The index of the step where delivery stops: the first failed or pending one. */
export function stuckIndex(steps: DeliveryStep[]): number {
  return steps.findIndex(s => s.state !== 'done');
}

/** Props of {@link DeliveryTimeline}. */
export interface DeliveryTimelineProps {
  steps: DeliveryStep[];
}

/**
 * A claim's delivery steps in order, each with its state, time and message; the first step that
 * is not done is marked "Stuck here", and the steps after it are dimmed.
 */
export function DeliveryTimeline(props: DeliveryTimelineProps) {
  const { steps } = props;
  const classes = useStyles();
  const stuck = stuckIndex(steps);
  return (
    <Timeline className={classes.timeline} aria-label="Delivery steps">
      {steps.map((step, i) => {
        const isStuck = i === stuck;
        const contentClass = [
          isStuck ? classes.stuck : '',
          isStuck && step.state === 'failed' ? classes.stuckFailed : '',
          stuck >= 0 && i > stuck ? classes.after : '',
        ]
          .filter(Boolean)
          .join(' ');
        return (
          <TimelineItem
            key={`${step.stage}-${i}`}
            data-testid={`delivery-step-${step.stage}`}
          >
            <TimelineOppositeContent className={classes.time}>
              <Typography variant="body2" color="textSecondary">
                <RelativeTime iso={step.at} fallback="–" />
              </Typography>
            </TimelineOppositeContent>
            <TimelineSeparator>
              <TimelineDot className={classes.dot}>
                <StateIcon state={step.state} />
              </TimelineDot>
              {i < steps.length - 1 && <TimelineConnector />}
            </TimelineSeparator>
            <TimelineContent className={classes.content}>
              <div
                className={contentClass}
                aria-current={isStuck ? 'step' : undefined}
              >
                <Typography
                  variant="body1"
                  component="div"
                  className={classes.title}
                  title={step.title}
                >
                  {shortenShas(step.title)}{' '}
                  {isStuck && (
                    <Chip
                      size="small"
                      label="Stuck here"
                      className={
                        step.state === 'failed'
                          ? classes.stuckChipFailed
                          : classes.stuckChip
                      }
                    />
                  )}
                </Typography>
                {step.message && (
                  <Typography
                    variant="body2"
                    color="textSecondary"
                    className={classes.message}
                  >
                    {step.message}
                  </Typography>
                )}
              </div>
            </TimelineContent>
          </TimelineItem>
        );
      })}
    </Timeline>
  );
}
