import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type {
  ArgoApplicationStatus,
  FluxKustomizationStatus,
} from '@upbound-backstage/plugin-upbound-common';
import { upboundApiRef } from '../../api';
import { ArgoSyncButton } from '../ArgoSyncButton';
import { ClusterErrorsPanel } from '../ClusterErrorsPanel';
import { ConditionStatus } from '../ConditionStatus';

function SyncStatus({ status }: { status?: string }) {
  if (status === 'Synced') return <StatusOK>Synced</StatusOK>;
  if (status === 'OutOfSync') return <StatusWarning>OutOfSync</StatusWarning>;
  return <StatusPending>{status ?? 'Unknown'}</StatusPending>;
}

function HealthStatus({ status, message }: { status?: string; message?: string }) {
  const label = message ? `${status}: ${message}` : status ?? 'Unknown';
  if (status === 'Healthy') return <StatusOK>{label}</StatusOK>;
  if (status === 'Degraded' || status === 'Missing') return <StatusError>{label}</StatusError>;
  if (status === 'Progressing' || status === 'Suspended') return <StatusWarning>{label}</StatusWarning>;
  return <StatusPending>{label}</StatusPending>;
}

const shortRev = (rev?: string) => (rev && /^[0-9a-f]{40}$/.test(rev) ? rev.slice(0, 7) : rev);

type ArgoRow = ArgoApplicationStatus & { id: string };
type FluxRow = FluxKustomizationStatus & { id: string };

const argoColumns = (onSynced: () => void, controlPlaneId: string): TableColumn<ArgoRow>[] => [
  {
    title: 'Application',
    highlight: true,
    cellStyle: { whiteSpace: 'nowrap' },
    render: a => `${a.namespace}/${a.name}`,
  },
  { title: 'Argo CD', field: 'instance' },
  {
    title: 'Source',
    render: a =>
      a.repoURL ? (
        <>
          <Link to={a.repoURL}>{a.repoURL.replace(/^https?:\/\//, '')}</Link>
          <Typography variant="body2" color="textSecondary">
            {a.path ?? ''}
            {a.targetRevision ? ` @ ${a.targetRevision}` : ''}
          </Typography>
        </>
      ) : (
        '–'
      ),
  },
  { title: 'Sync', render: a => <SyncStatus status={a.syncStatus} /> },
  { title: 'Health', render: a => <HealthStatus status={a.healthStatus} message={a.healthMessage} /> },
  { title: 'Revision', render: a => shortRev(a.syncRevision) ?? '–' },
  {
    title: 'Last operation',
    width: '30%',
    render: a => (a.operationPhase ? `${a.operationPhase}${a.operationMessage ? `: ${a.operationMessage}` : ''}` : '–'),
  },
  { title: '', align: 'right', render: a => <ArgoSyncButton application={a} controlPlaneId={controlPlaneId} onSynced={onSynced} /> },
];

const fluxColumns: TableColumn<FluxRow>[] = [
  {
    title: 'Kustomization',
    highlight: true,
    render: k => (
      <>
        {k.namespace}/{k.name} {k.suspended && <Chip size="small" label="Suspended" />}
      </>
    ),
  },
  { title: 'Cluster', field: 'instance' },
  {
    title: 'Source',
    render: k => (k.sourceRef ? `${k.sourceRef.kind}/${k.sourceRef.name}${k.path ? ` ${k.path}` : ''}` : '–'),
  },
  { title: 'Ready', render: k => <ConditionStatus type="Ready" condition={k.ready} showMessage hideType /> },
  { title: 'Applied revision', render: k => k.lastAppliedRevision ?? '–' },
];

/** Argo CD Applications and Flux Kustomizations that sync into a control plane. @public */
export function GitOpsCard(props: { controlPlaneId: string }) {
  const api = useApi(upboundApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getGitOpsStatus(props.controlPlaneId),
    [api, props.controlPlaneId],
  );
  if (loading && !value) return <InfoCard title="GitOps"><Progress /></InfoCard>;
  if (error) return <ResponseErrorPanel error={error} title="Could not read GitOps status" />;
  const argo = (value?.argocd ?? []).map(a => ({ ...a, id: `${a.instance}/${a.namespace}/${a.name}` }));
  const flux = (value?.flux ?? []).map(k => ({ ...k, id: `${k.instance}/${k.namespace}/${k.name}` }));
  return (
    <Grid container spacing={2} direction="column">
      {!!value?.errors.length && (
        <Grid item>
          <ClusterErrorsPanel errors={value.errors} subject="GitOps clusters" />
        </Grid>
      )}
      {argo.length === 0 && flux.length === 0 && (
        <Grid item>
          <InfoCard title="GitOps">
            <EmptyState
              missing="data"
              title="Nothing syncs into this control plane"
              description="Connect it to Argo CD or Flux with the GitOps templates to apply claims from Git."
            />
          </InfoCard>
        </Grid>
      )}
      {argo.length > 0 && (
        <Grid item>
          <Table<ArgoRow>
            title="Argo CD Applications"
            options={{ paging: false, search: false, padding: 'dense' }}
            columns={argoColumns(retry, props.controlPlaneId)}
            data={argo}
          />
        </Grid>
      )}
      {flux.length > 0 && (
        <Grid item>
          <Table<FluxRow>
            title="Flux Kustomizations"
            options={{ paging: false, search: false, padding: 'dense' }}
            columns={fluxColumns}
            data={flux}
          />
        </Grid>
      )}
    </Grid>
  );
}
