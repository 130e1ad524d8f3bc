import { Fragment } from 'react';
import {
  Link,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
  WarningPanel,
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type {
  ArgoApplicationStatus,
  FluxKustomizationStatus,
} from '@upbound-backstage/plugin-upbound-common';
import { ConditionStatus } from '../ConditionStatus';
import {
  emptyKustomizationWarning,
  emptySyncWarning,
  shortRevision,
} from '../../lib/gitops';

const nowrap = { whiteSpace: 'nowrap' } as const;

/** An Argo CD sync status; Synced over an empty path is a warning, not a success. */
export function ArgoSyncStatus(props: {
  app: Pick<ArgoApplicationStatus, 'syncStatus' | 'resourceCount' | 'path'>;
}) {
  const { app } = props;
  const empty = emptySyncWarning(app);
  let status: JSX.Element;
  if (empty)
    status = (
      <StatusWarning>
        <span style={nowrap}>Synced, 0 resources</span>
      </StatusWarning>
    );
  else if (app.syncStatus === 'Synced') status = <StatusOK>Synced</StatusOK>;
  else if (app.syncStatus === 'OutOfSync')
    status = <StatusWarning>OutOfSync</StatusWarning>;
  else status = <StatusPending>{app.syncStatus ?? 'Unknown'}</StatusPending>;
  return (
    <div>
      {status}
      {empty ? (
        <Typography variant="body2" color="textSecondary">
          {empty}
        </Typography>
      ) : (
        <ResourceCount count={app.resourceCount} />
      )}
    </div>
  );
}

/** An Argo CD health status with its message. */
export function ArgoHealthStatus(props: {
  status?: string;
  message?: string;
}) {
  const { status = 'Unknown', message } = props;
  const label = <span style={nowrap}>{status}</span>;
  let state: JSX.Element;
  if (status === 'Healthy') state = <StatusOK>{label}</StatusOK>;
  else if (status === 'Degraded' || status === 'Missing')
    state = <StatusError>{label}</StatusError>;
  else if (status === 'Progressing' || status === 'Suspended')
    state = <StatusWarning>{label}</StatusWarning>;
  else state = <StatusPending>{label}</StatusPending>;
  if (!message) return state;
  return (
    <div>
      {state}
      <Typography
        variant="body2"
        color="textSecondary"
        style={{ wordBreak: 'break-word' }}
      >
        {message}
      </Typography>
    </div>
  );
}

/**
 * Argo CD's own conditions: errors (ComparisonError, SyncError, InvalidSpecError) say why an
 * Application is empty or stuck even when its sync status looks fine.
 */
export function ArgoConditions(props: {
  conditions?: ArgoApplicationStatus['conditions'];
}) {
  if (!props.conditions?.length) return null;
  return (
    <>
      {props.conditions.map((c, i) => {
        const Status = /Error$/.test(c.type) ? StatusError : StatusWarning;
        return (
          <div key={`${c.type}-${i}`}>
            <Status>
              <span style={nowrap}>{c.type}</span>
            </Status>
            {c.message && (
              <Typography
                variant="body2"
                color="textSecondary"
                style={{ wordBreak: 'break-word' }}
              >
                {c.message}
              </Typography>
            )}
          </div>
        );
      })}
    </>
  );
}

/** "3 resources" under a status, when the engine reports a count. */
export function ResourceCount(props: { count?: number }) {
  if (props.count === undefined) return null;
  return (
    <Typography variant="body2" color="textSecondary" style={nowrap}>
      {props.count === 1 ? '1 resource' : `${props.count} resources`}
    </Typography>
  );
}

/** A revision shortened, with the full revision on hover. */
export function Revision(props: { revision?: string }) {
  const short = shortRevision(props.revision);
  if (!short) return <>–</>;
  return (
    <span title={props.revision} style={{ ...nowrap, fontFamily: 'monospace' }}>
      {short}
    </span>
  );
}

/** A repository URL without its scheme, linked when it is a web URL. */
export function RepoLink(props: { url?: string }) {
  const { url } = props;
  if (!url) return <>–</>;
  // Break long URLs after a slash rather than anywhere.
  const parts = url.replace(/^https?:\/\//, '').split('/');
  const text = parts.map((part, i) => (
    <Fragment key={i}>
      {i > 0 && (
        <>
          /<wbr />
        </>
      )}
      {part}
    </Fragment>
  ));
  return /^https?:\/\//.test(url) ? <Link to={url}>{text}</Link> : <>{text}</>;
}

/**
 * Where a Flux Kustomization applies from: the repository URL, the source object and the path;
 * and, when the source is not Ready, its own condition (a failing clone is reported on the source,
 * while the Kustomization only goes stale).
 */
export function FluxSource(props: { kustomization: FluxKustomizationStatus }) {
  const { source, sourceRef, path } = props.kustomization;
  const ref = sourceRef ? `${sourceRef.kind}/${sourceRef.name}` : undefined;
  const details = [source?.url ? ref : undefined, path]
    .filter(Boolean)
    .join(' · ');
  return (
    <>
      {source?.url ? <RepoLink url={source.url} /> : ref ?? '–'}
      {details && (
        <Typography
          variant="body2"
          color="textSecondary"
          component="div"
          style={{ wordBreak: 'break-word' }}
        >
          {details}
        </Typography>
      )}
      {source && source.ready.state !== 'True' && (
        <ConditionStatus type="Source" condition={source.ready} showMessage />
      )}
    </>
  );
}

/** Flux's empty-inventory warning, when a Ready Kustomization applies nothing. */
export function FluxEmptyWarning(props: {
  kustomization: FluxKustomizationStatus;
}) {
  const empty = emptyKustomizationWarning(props.kustomization);
  if (!empty)
    return <ResourceCount count={props.kustomization.resourceCount} />;
  return (
    <StatusWarning>
      <span>{empty}</span>
    </StatusWarning>
  );
}

/** Props of {@link CredentialProblemPanel}. */
export interface CredentialProblemPanelProps {
  /** The GitOps object in words, e.g. "Argo CD Application argocd/claims". */
  subject: string;
  problem?: string;
}

/**
 * The engine cannot authenticate to the control plane: said first and in red, because every
 * other state of the object (OutOfSync, not Ready) follows from it.
 */
export function CredentialProblemPanel(props: CredentialProblemPanelProps) {
  if (!props.problem) return null;
  return (
    <WarningPanel
      severity="error"
      defaultExpanded
      title={`${props.subject}: the control plane refuses its credential`}
      message={props.problem}
    />
  );
}
