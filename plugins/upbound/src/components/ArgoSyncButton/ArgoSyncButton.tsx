import { useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import SyncIcon from '@material-ui/icons/Sync';
import {
  upboundGitOpsSyncPermission,
  type ArgoApplicationStatus,
} from '@upbound-backstage/plugin-upbound-common';
import { upboundApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';

/** Props of {@link ArgoSyncButton}. @public */
export interface ArgoSyncButtonProps {
  application: ArgoApplicationStatus;
  /** The control plane the Application deploys into: the permission is decided for it. */
  controlPlaneId?: string;
  /** Called after the sync was accepted, e.g. to reload the status. */
  onSynced?(): void;
}

/**
 * A "Sync" button for an Argo CD Application, behind a confirmation dialog. Rendered only when
 * the instance has a REST API configured (`canSync`) and the user is allowed `upbound.gitops.sync`
 * on the control plane it deploys into.
 * @public
 */
export function ArgoSyncButton(props: ArgoSyncButtonProps) {
  const { application: app, onSynced, controlPlaneId } = props;
  const api = useApi(upboundApiRef);
  const alertApi = useApi(alertApiRef);
  // Decided per control plane (a policy may allow syncs into some groups only); none: hidden.
  const { allowed, loading } = usePermission({
    permission: upboundGitOpsSyncPermission,
    resourceRef: controlPlaneId,
  });
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);

  if (!app.canSync || loading || !allowed) return null;

  const label = `${app.namespace}/${app.name}`;
  const sync = async () => {
    setBusy(true);
    try {
      const result = await api.syncArgoApplication(app.instance, app.namespace, app.name);
      alertApi.post({
        message: `Sync of ${label} started${result.phase ? ` (${result.phase})` : ''}`,
        severity: 'success',
        display: 'transient',
      });
      onSynced?.();
    } catch (e) {
      alertApi.post({ message: `Could not sync ${label}: ${errorMessage(e)}`, severity: 'error' });
    } finally {
      setBusy(false);
      setOpen(false);
    }
  };

  return (
    <>
      <Button
        size="small"
        variant="outlined"
        startIcon={<SyncIcon />}
        aria-label={`Sync ${label}`}
        onClick={() => setOpen(true)}
      >
        Sync
      </Button>
      <Dialog open={open} onClose={() => !busy && setOpen(false)}>
        <DialogTitle>Sync {label}?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Argo CD ({app.instance}) applies{' '}
            {app.targetRevision ? `revision ${app.targetRevision}` : 'the target revision'} of{' '}
            {app.repoURL ?? 'the source'}
            {app.path ? ` (${app.path})` : ''} to the control plane now.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)} disabled={busy}>
            Cancel
          </Button>
          <Button color="primary" variant="contained" onClick={sync} disabled={busy}>
            Sync
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
