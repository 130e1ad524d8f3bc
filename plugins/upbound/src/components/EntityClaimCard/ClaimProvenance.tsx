import type { ReactNode } from 'react';
import { StatusError } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type {
  ClaimDelivery,
  GitOpsOrigin,
} from '@upbound-backstage/plugin-upbound-common';
import { errorMessage } from '../../lib/errorMessage';
import { originObjectTitle } from '../../lib/gitops';
import { ConditionStatus } from '../ConditionStatus';
import {
  ArgoHealthStatus,
  ArgoSyncStatus,
  FluxSource,
  RepoLink,
  Revision,
} from '../GitOpsStatus';
import { RelativeTime } from '../RelativeTime';

const note = (text: ReactNode) => (
  <Typography
    variant="body2"
    color="textSecondary"
    component="div"
    style={{ wordBreak: 'break-word' }}
  >
    {text}
  </Typography>
);

function RevisionAt(props: { revision?: string; at?: string }) {
  return (
    <>
      <Revision revision={props.revision} />
      {props.at && (
        <>
          {' '}
          · <RelativeTime iso={props.at} />
        </>
      )}
    </>
  );
}

/**
 * Rows of the claim card that say where the claim comes from: the GitOps object that applied it
 * (read from the engine's marks on the claim), its repository, path, revision and sync state.
 */
export function provenanceRows(
  origin: GitOpsOrigin,
  delivery: { value?: ClaimDelivery; loading: boolean; error?: Error },
): Record<string, ReactNode> {
  const title = originObjectTitle(origin);
  if (delivery.error) {
    return {
      'Delivered by': (
        <>
          {title}
          {note(`Its state could not be read: ${errorMessage(delivery.error)}`)}
        </>
      ),
    };
  }
  const app = delivery.value?.application;
  const k = delivery.value?.kustomization;
  if (!app && !k) {
    return {
      'Delivered by': (
        <>
          {title}
          {delivery.loading
            ? note('Reading its state…')
            : note(
                `Not found among the configured ${
                  origin.engine === 'argocd'
                    ? 'Argo CD instances'
                    : 'Flux clusters'
                } that deploy into this control plane.`,
              )}
        </>
      ),
    };
  }
  const problem = (app ?? k)?.credentialProblem;
  const credential = problem ? (
    <>
      <StatusError>Credential refused</StatusError>
      {note(problem)}
    </>
  ) : null;
  if (app) {
    return {
      'Delivered by': `${title} (Argo CD ${app.instance})`,
      'Git source': (
        <>
          <RepoLink url={app.repoURL} />
          {note(
            [app.path, app.targetRevision && `@ ${app.targetRevision}`]
              .filter(Boolean)
              .join(' '),
          )}
        </>
      ),
      Revision: (
        <RevisionAt revision={app.syncRevision} at={app.operationFinishedAt} />
      ),
      'Sync state': (
        <>
          {credential}
          <ArgoSyncStatus app={app} />
          <ArgoHealthStatus
            status={app.healthStatus}
            message={app.healthMessage}
          />
        </>
      ),
    };
  }
  const kustomization = k!;
  return {
    'Delivered by': `${title} (cluster ${kustomization.instance})`,
    'Git source': <FluxSource kustomization={kustomization} />,
    Revision: (
      <RevisionAt
        revision={kustomization.lastAppliedRevision}
        at={kustomization.readySince}
      />
    ),
    'Sync state': (
      <>
        {credential}
        <ConditionStatus
          type="Ready"
          condition={kustomization.ready}
          showMessage={!problem && kustomization.ready.state !== 'True'}
        />
      </>
    ),
  };
}
