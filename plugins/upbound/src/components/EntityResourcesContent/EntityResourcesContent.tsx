import { useMemo, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import AccountTreeIcon from '@material-ui/icons/AccountTree';
import RefreshIcon from '@material-ui/icons/Refresh';
import TableChartIcon from '@material-ui/icons/TableChart';
import type { GraphNode } from '@upbound-backstage/plugin-upbound-common';
import { upboundApiRef } from '../../api';
import { toCompoundRef } from '../../lib/entityRef';
import { errorMessage } from '../../lib/errorMessage';
import {
  NodeDetailsDrawer,
  ResourceGraphTable,
  ResourceGraphView,
  toDisplayGraph,
} from '../ResourceGraph';

/**
 * The claim's or XR's resource graph (claim → XR → managed resources, nested XRs), as a graph
 * or a table, with a side panel for the selected resource.
 * @public
 */
export function EntityResourcesContent() {
  const { entity } = useEntity();
  const entityRef = useMemo(() => toCompoundRef(entity), [entity]);
  const api = useApi(upboundApiRef);
  const graph = useAsyncRetry(() => api.getEntityGraph(entityRef), [api, entityRef]);
  const [view, setView] = useState<'graph' | 'table'>('graph');
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState<GraphNode | undefined>();

  const display = useMemo(
    () => (graph.value ? toDisplayGraph(graph.value, { expanded }) : undefined),
    [graph.value, expanded],
  );

  if (graph.loading && !graph.value) return <Progress />;
  if (graph.error) {
    // The backend's message names the control plane and what failed; the generic
    // "Request failed with 503" title alone would hide it behind the details.
    return (
      <ResponseErrorPanel
        error={graph.error}
        title={`Could not read the resource graph: ${errorMessage(graph.error)}`}
      />
    );
  }
  if (!graph.value || !display) return null;
  if (graph.value.nodes.length === 0) {
    return <EmptyState missing="data" title="No resources found for this entity" />;
  }

  const failingNode = graph.value.nodes.find(
    n => n.id === graph.value!.failingPath[graph.value!.failingPath.length - 1],
  );
  const unreadable = graph.value.nodes.filter(n => n.error && !n.missing);

  const toolbar = (
    <Box display="flex" alignItems="center" style={{ gap: 8 }}>
      {display.collapsible && expanded.size > 0 && (
        <Button size="small" onClick={() => setExpanded(new Set())}>
          Collapse all
        </Button>
      )}
      <ToggleButtonGroup
        size="small"
        exclusive
        value={view}
        onChange={(_, v) => v && setView(v)}
        aria-label="View"
      >
        <ToggleButton value="graph" aria-label="Graph view">
          <AccountTreeIcon fontSize="small" />
        </ToggleButton>
        <ToggleButton value="table" aria-label="Table view">
          <TableChartIcon fontSize="small" />
        </ToggleButton>
      </ToggleButtonGroup>
      <Tooltip title="Refresh">
        <IconButton aria-label="Refresh" size="small" onClick={graph.retry}>
          <RefreshIcon />
        </IconButton>
      </Tooltip>
    </Box>
  );

  return (
    <Grid container spacing={3} direction="column">
      {failingNode && (
        <Grid item>
          <WarningPanel
            severity="error"
            defaultExpanded
            title={`Not ready: ${failingNode.kind} ${failingNode.name}`}
            message={
              failingNode.synced?.state === 'False'
                ? failingNode.synced.message ?? failingNode.synced.reason
                : failingNode.ready?.message ?? failingNode.ready?.reason ?? failingNode.error
            }
          />
        </Grid>
      )}
      {unreadable.length > 0 && (
        <Grid item>
          <WarningPanel
            severity="warning"
            title={`${unreadable.length} resource(s) could not be read`}
            message={unreadable.map(n => `${n.kind} ${n.name}: ${n.error}`).join('; ')}
          />
        </Grid>
      )}
      <Grid item>
        {view === 'graph' ? (
          <InfoCard
            title="Resource graph"
            subheader={
              <Typography variant="body2" color="textSecondary">
                {graph.value.nodes.length} resources
                {display.collapsible ? ' · same-kind managed resources are grouped; click a group to expand it' : ''}
              </Typography>
            }
            action={toolbar}
            noPadding
          >
            <ResourceGraphView
              nodes={display.nodes}
              edges={display.edges}
              selectedId={selected?.id}
              onNodeClick={n => {
                if (n.members) setExpanded(prev => new Set(prev).add(n.id));
                else setSelected(n.node);
              }}
            />
          </InfoCard>
        ) : (
          <>
            <Box display="flex" justifyContent="flex-end" mb={1}>
              {toolbar}
            </Box>
            <ResourceGraphTable graph={graph.value} onSelect={setSelected} />
          </>
        )}
      </Grid>
      <NodeDetailsDrawer
        entityRef={entityRef}
        selected={selected}
        onClose={() => setSelected(undefined)}
      />
    </Grid>
  );
}
