import { useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef, type CompoundEntityRef } from '@backstage/catalog-model';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import PauseIcon from '@material-ui/icons/Pause';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import SyncIcon from '@material-ui/icons/Sync';
import Alert from '@material-ui/lab/Alert';
import {
  upboundClaimUpdatePermission,
  type GitOpsOrigin,
} from '@upbound-backstage/plugin-upbound-common';
import { upboundApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';
import { gitOpsWarning, type Day2Operation } from '../../lib/gitops';

const TEXT: Record<Day2Operation, { title: string; body: string; done: string }> = {
  pause: {
    title: 'Pause reconciliation?',
    body: 'Crossplane stops reconciling this resource (crossplane.io/paused). Drift is not corrected until it is resumed.',
    done: 'Reconciliation paused',
  },
  resume: {
    title: 'Resume reconciliation?',
    body: 'Crossplane reconciles this resource again and corrects any drift.',
    done: 'Reconciliation resumed',
  },
  reconcile: {
    title: 'Reconcile now?',
    body: 'Asks Crossplane to reconcile this resource right away.',
    done: 'Reconcile requested',
  },
};

/** Props of {@link ClaimDay2Actions}. @public */
export interface ClaimDay2ActionsProps {
  entityRef: CompoundEntityRef;
  paused: boolean;
  /** The Argo CD Application or Flux Kustomization that applied the claim, if any. */
  gitops?: GitOpsOrigin;
  /** Called after a successful operation, e.g. to reload the status. */
  onDone?(): void;
}

/**
 * Pause/resume and reconcile buttons, shown only to users allowed `upbound.claim.update` on
 * this entity, each behind a confirmation dialog; the dialog says when GitOps manages the claim.
 * @public
 */
export function ClaimDay2Actions(props: ClaimDay2ActionsProps) {
  const { entityRef, paused, gitops, onDone } = props;
  const api = useApi(upboundApiRef);
  const alertApi = useApi(alertApiRef);
  const { allowed, loading } = usePermission({
    permission: upboundClaimUpdatePermission,
    resourceRef: stringifyEntityRef(entityRef),
  });
  const [pending, setPending] = useState<Day2Operation | undefined>();
  const [busy, setBusy] = useState(false);

  if (loading || !allowed) return null;

  const run = async (op: Day2Operation) => {
    setBusy(true);
    try {
      if (op === 'reconcile') await api.reconcileEntity(entityRef);
      else await api.setEntityPaused(entityRef, op === 'pause');
      alertApi.post({ message: TEXT[op].done, severity: 'success', display: 'transient' });
      onDone?.();
    } catch (e) {
      alertApi.post({ message: `Could not ${op}: ${errorMessage(e)}`, severity: 'error' });
    } finally {
      setBusy(false);
      setPending(undefined);
    }
  };

  return (
    <Box display="flex" style={{ gap: 8 }}>
      {paused ? (
        <Button size="small" variant="outlined" startIcon={<PlayArrowIcon />} onClick={() => setPending('resume')}>
          Resume
        </Button>
      ) : (
        <Button size="small" variant="outlined" startIcon={<PauseIcon />} onClick={() => setPending('pause')}>
          Pause
        </Button>
      )}
      <Button size="small" variant="outlined" startIcon={<SyncIcon />} onClick={() => setPending('reconcile')}>
        Reconcile
      </Button>
      <Dialog open={!!pending} onClose={() => !busy && setPending(undefined)}>
        {pending && (
          <>
            <DialogTitle>{TEXT[pending].title}</DialogTitle>
            <DialogContent>
              <DialogContentText>{TEXT[pending].body}</DialogContentText>
              {gitops && (
                <Alert severity="warning" data-testid="gitops-warning">
                  {gitOpsWarning(gitops, pending)}
                </Alert>
              )}
            </DialogContent>
            <DialogActions>
              <Button onClick={() => setPending(undefined)} disabled={busy}>
                Cancel
              </Button>
              <Button color="primary" variant="contained" onClick={() => run(pending)} disabled={busy}>
                Confirm
              </Button>
            </DialogActions>
          </>
        )}
      </Dialog>
    </Box>
  );
}
