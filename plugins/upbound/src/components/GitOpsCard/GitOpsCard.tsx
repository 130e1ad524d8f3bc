import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
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
import {
  ArgoConditions,
  ArgoHealthStatus,
  ArgoSyncStatus,
  CredentialProblemPanel,
  FluxEmptyWarning,
  FluxSource,
  RepoLink,
  Revision,
} from '../GitOpsStatus';
import { RelativeTime } from '../RelativeTime';

type ArgoRow = ArgoApplicationStatus & { id: string };
type FluxRow = FluxKustomizationStatus & { id: string };

const secondary = (text: React.ReactNode) => (
  <Typography variant="body2" color="textSecondary" component="div">
    {text}
  </Typography>
);

const argoColumns = (
  onSynced: () => void,
  controlPlaneId: string,
): TableColumn<ArgoRow>[] => [
  {
    title: 'Application',
    highlight: true,
    // Long names wrap instead of pushing the table past the card at 1280 px.
    cellStyle: { wordBreak: 'break-word', minWidth: 120 },
    render: a => (
      <>
        <span>{`${a.namespace}/${a.name}`}</span>
        {secondary(`Argo CD ${a.instance}`)}
      </>
    ),
  },
  {
    title: 'Source',
    cellStyle: { minWidth: 140, wordBreak: 'break-all' },
    render: a => (
      <>
        <RepoLink url={a.repoURL} />
        {secondary(
          `${a.path ?? ''}${a.targetRevision ? ` @ ${a.targetRevision}` : ''}`,
        )}
      </>
    ),
  },
  {
    title: 'Sync',
    cellStyle: { minWidth: 120 },
    render: a => <ArgoSyncStatus app={a} />,
  },
  {
    title: 'Health',
    render: a => (
      <ArgoHealthStatus status={a.healthStatus} message={a.healthMessage} />
    ),
  },
  {
    title: 'Revision',
    cellStyle: { whiteSpace: 'nowrap' },
    render: a => (
      <>
        <Revision revision={a.syncRevision} />
        {a.operationFinishedAt &&
          secondary(<RelativeTime iso={a.operationFinishedAt} />)}
      </>
    ),
  },
  {
    title: 'Last operation',
    width: '28%',
    render: a => (
      <>
        {a.operationPhase ? (
          <Typography
            variant="body2"
            component="div"
            title={a.operationMessage}
            // Engine messages can run to many lines: four are shown, the whole one on hover.
            style={{
              wordBreak: 'break-word',
              display: '-webkit-box',
              WebkitLineClamp: 4,
              WebkitBoxOrient: 'vertical',
              overflow: 'hidden',
            }}
          >
            {a.operationPhase}
            {a.operationMessage ? `: ${a.operationMessage}` : ''}
          </Typography>
        ) : (
          !a.conditions?.length && '–'
        )}
        <ArgoConditions conditions={a.conditions} />
      </>
    ),
  },
  {
    title: '',
    align: 'right',
    cellStyle: { whiteSpace: 'nowrap' },
    render: a => (
      <ArgoSyncButton
        application={a}
        controlPlaneId={controlPlaneId}
        onSynced={onSynced}
      />
    ),
  },
];

const fluxColumns: TableColumn<FluxRow>[] = [
  {
    title: 'Kustomization',
    highlight: true,
    cellStyle: { whiteSpace: 'nowrap' },
    render: k => (
      <>
        <span>{`${k.namespace}/${k.name}`}</span>{' '}
        {k.suspended && <Chip size="small" label="Suspended" />}
        {secondary(`Cluster ${k.instance}`)}
      </>
    ),
  },
  {
    title: 'Source',
    cellStyle: { minWidth: 200 },
    render: k => <FluxSource kustomization={k} />,
  },
  {
    title: 'Ready',
    width: '30%',
    render: k => (
      <>
        {/* Ready's message repeats the applied revision; other states need it in full. */}
        <ConditionStatus
          type="Ready"
          condition={k.ready}
          showMessage={k.ready.state !== 'True'}
          hideType
        />
        {k.readySince &&
          secondary(
            <>
              since <RelativeTime iso={k.readySince} />
            </>,
          )}
      </>
    ),
  },
  {
    title: 'Applied revision',
    render: k => (
      <>
        <Revision revision={k.lastAppliedRevision} />
        {k.lastAttemptedRevision &&
          k.lastAttemptedRevision !== k.lastAppliedRevision &&
          secondary(
            <>
              attempted <Revision revision={k.lastAttemptedRevision} />
            </>,
          )}
        <FluxEmptyWarning kustomization={k} />
      </>
    ),
  },
];

/**
 * Argo CD Applications and Flux Kustomizations that sync into a control plane, with what makes
 * them fail: a refused credential first, then Argo CD's own conditions, an empty sync, or a
 * failing Flux source.
 * @public
 */
export function GitOpsCard(props: { controlPlaneId: string }) {
  const api = useApi(upboundApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getGitOpsStatus(props.controlPlaneId),
    [api, props.controlPlaneId],
  );
  if (loading && !value)
    return (
      <InfoCard title="GitOps">
        <Progress />
      </InfoCard>
    );
  if (error)
    return (
      <ResponseErrorPanel error={error} title="Could not read GitOps status" />
    );
  const argo = (value?.argocd ?? []).map(a => ({
    ...a,
    id: `${a.instance}/${a.namespace}/${a.name}`,
  }));
  const flux = (value?.flux ?? []).map(k => ({
    ...k,
    id: `${k.instance}/${k.namespace}/${k.name}`,
  }));
  const credentialProblems = [
    ...argo.map(a => ({
      id: `argo/${a.id}`,
      subject: `Argo CD Application ${a.namespace}/${a.name}`,
      problem: a.credentialProblem,
    })),
    ...flux.map(k => ({
      id: `flux/${k.id}`,
      subject: `Flux Kustomization ${k.namespace}/${k.name}`,
      problem: k.credentialProblem,
    })),
  ].filter(p => p.problem);
  return (
    <Grid container spacing={2} direction="column">
      {credentialProblems.map(p => (
        <Grid item key={p.id}>
          <CredentialProblemPanel subject={p.subject} problem={p.problem} />
        </Grid>
      ))}
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
