import { memo } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import UnfoldMoreIcon from '@material-ui/icons/UnfoldMore';
import type { DisplayNode, NodeHealth } from './graphModel';
import { NODE_HEIGHT, NODE_WIDTH } from './layout';

/** Colours by health: green, red, amber, grey. */
export const HEALTH_COLORS: Record<
  NodeHealth,
  { border: string; background: string }
> = {
  ok: { border: '#2e7d32', background: 'rgba(46, 125, 50, 0.08)' },
  error: { border: '#d32f2f', background: 'rgba(211, 47, 47, 0.10)' },
  warning: { border: '#ed6c02', background: 'rgba(237, 108, 2, 0.10)' },
  unknown: { border: '#9e9e9e', background: 'rgba(158, 158, 158, 0.10)' },
};

const useStyles = makeStyles(theme => ({
  root: {
    width: NODE_WIDTH,
    height: NODE_HEIGHT,
    boxSizing: 'border-box',
    borderRadius: 8,
    borderWidth: 2,
    padding: theme.spacing(0.75, 1.25),
    backgroundColor: theme.palette.background.paper,
    color: theme.palette.text.primary,
    cursor: 'pointer',
    display: 'flex',
    flexDirection: 'column',
    justifyContent: 'center',
    overflow: 'hidden',
  },
  kind: {
    fontSize: 11,
    textTransform: 'uppercase',
    letterSpacing: 0.5,
    color: theme.palette.text.secondary,
    display: 'flex',
    alignItems: 'center',
    gap: 4,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
  },
  group: {
    textTransform: 'none',
    letterSpacing: 0,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    minWidth: 0,
  },
  name: {
    fontWeight: 600,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  },
  reason: {
    fontSize: 11,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  },
  handle: { opacity: 0, pointerEvents: 'none' },
}));

/** React Flow node carrying a {@link DisplayNode}. */
export type ResourceFlowNode = Node<
  { display: DisplayNode; selected?: boolean },
  'resource'
>;

const ROLE_LABEL: Record<DisplayNode['role'], string> = {
  claim: 'Claim',
  composite: 'Composite',
  managed: 'Managed',
  resource: 'Resource',
  group: 'Group',
};

/** The short reason shown under the name: why the node is not ready, if it is not. */
function nodeReason(display: DisplayNode): string | undefined {
  const node = display.node;
  if (!node) return undefined;
  if (node.missing) return 'Missing';
  if (node.synced?.state === 'False') return node.synced.reason;
  if (node.ready?.state !== 'True') return node.ready?.reason;
  return undefined;
}

function ResourceNodeComponent({ data }: NodeProps<ResourceFlowNode>) {
  const classes = useStyles();
  const { display, selected } = data;
  const colors = HEALTH_COLORS[display.health];
  const reason = nodeReason(display);
  let shadow: string | undefined;
  if (display.onFailingPath)
    shadow = `0 0 0 3px ${HEALTH_COLORS.error.border}55`;
  else if (selected) shadow = '0 0 0 3px rgba(33, 150, 243, 0.4)';
  return (
    <div
      className={classes.root}
      data-testid={`graph-node-${display.id}`}
      data-health={display.health}
      data-failing={display.onFailingPath ? 'true' : 'false'}
      title={
        display.node?.ready?.message ??
        display.node?.synced?.message ??
        display.node?.error
      }
      style={{
        borderColor: colors.border,
        borderStyle: display.missing ? 'dashed' : 'solid',
        background: `linear-gradient(${colors.background}, ${colors.background})`,
        boxShadow: shadow,
      }}
    >
      <Handle
        type="target"
        position={Position.Top}
        className={classes.handle}
      />
      <span className={classes.kind} title={display.apiGroup}>
        {display.kind} · {ROLE_LABEL[display.role]}
        {display.apiGroup && (
          <span className={classes.group}>· {display.apiGroup}</span>
        )}
        {display.role === 'group' && (
          <UnfoldMoreIcon style={{ fontSize: 14 }} />
        )}
      </span>
      <Typography variant="body2" className={classes.name}>
        {display.label}
      </Typography>
      {reason && (
        <span className={classes.reason} style={{ color: colors.border }}>
          {reason}
        </span>
      )}
      <Handle
        type="source"
        position={Position.Bottom}
        className={classes.handle}
      />
    </div>
  );
}

/** One node of the resource graph. */
export const ResourceNode = memo(ResourceNodeComponent);
