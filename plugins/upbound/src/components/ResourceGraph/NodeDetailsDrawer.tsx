import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  CodeSnippet,
  EmptyState,
  Progress,
  ResponseErrorPanel,
  StatusOK,
  StatusWarning,
  Table,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Drawer from '@material-ui/core/Drawer';
import IconButton from '@material-ui/core/IconButton';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import CloseIcon from '@material-ui/icons/Close';
import {
  conditionsOf,
  type Condition,
  type GraphNode,
  type KubeEvent,
} from '@upbound-backstage/plugin-upbound-common';
import { upboundApiRef } from '../../api';
import { age } from '../../lib/time';
import { ConditionStatus } from '../ConditionStatus';

function nodeRef(node: GraphNode) {
  return { apiVersion: node.apiVersion, kind: node.kind, namespace: node.namespace, name: node.name };
}

function ConditionsTab({ conditions }: { conditions: Condition[] }) {
  if (!conditions.length) return <EmptyState missing="data" title="No conditions reported" />;
  return (
    <Table<Condition & { id: string }>
      options={{ paging: false, search: false, toolbar: false, padding: 'dense' }}
      data={conditions.map(c => ({ ...c, id: c.type }))}
      columns={[
        {
          title: 'Condition',
          width: '30%',
          cellStyle: { whiteSpace: 'nowrap', verticalAlign: 'top' },
          render: c => (
            <ConditionStatus
              type={c.type}
              condition={{
                state: c.status === 'True' || c.status === 'False' ? c.status : 'Unknown',
                reason: c.reason,
              }}
            />
          ),
        },
        {
          title: 'Message',
          field: 'message',
          emptyValue: '–',
          cellStyle: { wordBreak: 'break-word', verticalAlign: 'top' },
        },
        {
          title: 'Age',
          width: '10%',
          cellStyle: { whiteSpace: 'nowrap', verticalAlign: 'top' },
          render: c => age(c.lastTransitionTime) || '–',
        },
      ]}
    />
  );
}

function EventsTab({ events }: { events: KubeEvent[] }) {
  if (!events.length) return <EmptyState missing="data" title="No recent events" />;
  return (
    <List dense>
      {events.map((e, i) => (
        <ListItem key={i} divider alignItems="flex-start">
          <ListItemText
            primary={
              e.type === 'Warning' ? (
                <StatusWarning>{e.reason ?? 'Warning'}</StatusWarning>
              ) : (
                <StatusOK>{e.reason ?? 'Normal'}</StatusOK>
              )
            }
            secondary={
              <>
                {e.message}
                <br />
                {[
                  e.count && e.count > 1 ? `${e.count}×` : undefined,
                  e.lastTimestamp ? `${age(e.lastTimestamp)} ago` : undefined,
                  e.source,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </>
            }
          />
        </ListItem>
      ))}
    </List>
  );
}

/** Renders an async state: missing resource, loading, error, or the value. */
function Loadable<T>(props: {
  state: { loading: boolean; error?: Error; value?: T };
  /** Set (to the reason) when the resource does not exist. */
  missing?: string;
  children: (value: T | undefined) => JSX.Element;
}) {
  const { state, missing, children } = props;
  if (missing !== undefined) {
    return <EmptyState missing="data" title="This resource does not exist" description={missing} />;
  }
  if (state.loading) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  return children(state.value);
}

function NodeDetails({ entityRef, node }: { entityRef: CompoundEntityRef; node: GraphNode }) {
  const api = useApi(upboundApiRef);
  const [tab, setTab] = useState(0);
  const object = useAsync(
    async () => (node.missing ? undefined : api.getEntityObject(entityRef, nodeRef(node))),
    [api, entityRef, node.id],
  );
  const events = useAsync(
    () => api.getEntityEvents(entityRef, nodeRef(node)),
    [api, entityRef, node.id],
  );

  return (
    <>
      <Box display="flex" style={{ gap: 16 }} mb={1} flexWrap="wrap">
        {node.missing ? (
          <ConditionStatus
            type="Missing"
            condition={{ state: 'False', message: node.error }}
            showMessage
          />
        ) : (
          <>
            <ConditionStatus type="Ready" condition={node.ready} showMessage />
            <ConditionStatus type="Synced" condition={node.synced} showMessage />
          </>
        )}
      </Box>
      <Tabs value={tab} onChange={(_, v) => setTab(v)} indicatorColor="primary">
        <Tab label="Conditions" />
        <Tab label="Events" />
        <Tab label="YAML" />
      </Tabs>
      <Box mt={2}>
        {tab === 0 && (
          <Loadable state={object} missing={node.missing ? node.error ?? '' : undefined}>
            {v => <ConditionsTab conditions={conditionsOf(v?.object)} />}
          </Loadable>
        )}
        {tab === 1 && (
          <Loadable state={events}>{v => <EventsTab events={v?.items ?? []} />}</Loadable>
        )}
        {tab === 2 && (
          <Loadable state={object} missing={node.missing ? node.error ?? '' : undefined}>
            {v => (
              <CodeSnippet
                text={v?.yaml ?? ''}
                language="yaml"
                showCopyCodeButton
                customStyle={{ fontSize: 12, maxHeight: '60vh', overflow: 'auto' }}
              />
            )}
          </Loadable>
        )}
      </Box>
    </>
  );
}

/** Props of {@link NodeDetailsDrawer}. */
export interface NodeDetailsDrawerProps {
  entityRef: CompoundEntityRef;
  selected?: GraphNode;
  onClose(): void;
}

/** Side panel with the selected node's conditions, events and YAML. */
export function NodeDetailsDrawer(props: NodeDetailsDrawerProps) {
  const { entityRef, selected, onClose } = props;
  return (
    <Drawer anchor="right" open={!!selected} onClose={onClose}>
      <Box width={640} maxWidth="100vw" p={3} role="region" aria-label="Resource details">
        {selected && (
          <>
            <Box display="flex" alignItems="flex-start" justifyContent="space-between">
              <div>
                <Typography variant="overline">
                  {selected.apiVersion} · {selected.kind}
                </Typography>
                <Typography variant="h5" style={{ wordBreak: 'break-all' }}>
                  {selected.name}
                </Typography>
                {selected.namespace && (
                  <Typography variant="body2" color="textSecondary">
                    namespace {selected.namespace}
                  </Typography>
                )}
              </div>
              <IconButton aria-label="Close" onClick={onClose}>
                <CloseIcon />
              </IconButton>
            </Box>
            <NodeDetails entityRef={entityRef} node={selected} />
          </>
        )}
      </Box>
    </Drawer>
  );
}
