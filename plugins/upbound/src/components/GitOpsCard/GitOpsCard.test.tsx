import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { upboundApiRef, type UpboundApi } from '../../api';
import { gitops } from '../../__fixtures__/claims';
import { GitOpsCard } from './GitOpsCard';

// usePermission caches decisions for the whole file (SWR), so the denied case is in
// ArgoSyncButton.test.tsx.
async function render(api: Partial<UpboundApi>) {
  const alertApi = mockApis.alert();
  await renderInTestApp(<GitOpsCard controlPlaneId="space/local/platform/ctp-a" />, {
    apis: [[upboundApiRef, api], mockApis.permission({ authorize: AuthorizeResult.ALLOW }), alertApi],
  });
  return alertApi;
}

describe('GitOpsCard', () => {
  it('lists Argo CD Applications and Flux Kustomizations with their state', async () => {
    await render({ getGitOpsStatus: async () => gitops });
    expect(await screen.findByText('Argo CD Applications')).toBeInTheDocument();
    expect(screen.getByText('Flux Kustomizations')).toBeInTheDocument();
    expect(screen.getAllByText('argocd/ctp-a-claims')).toHaveLength(1);
    expect(screen.getByText('BuildFailed')).toBeInTheDocument();
    expect(screen.getByText(/could not be read: app-west/)).toBeInTheDocument();
  });

  it('syncs an Application after confirmation and reloads the status', async () => {
    const getGitOpsStatus = jest.fn(async () => gitops);
    const syncArgoApplication = jest.fn(async () => ({ phase: 'Running' }));
    const alertApi = await render({ getGitOpsStatus, syncArgoApplication });

    await userEvent.click(await screen.findByRole('button', { name: 'Sync argocd/ctp-a-claims' }));
    expect(screen.getByText('Sync argocd/ctp-a-claims?')).toBeInTheDocument();
    expect(syncArgoApplication).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Sync' }));

    await waitFor(() =>
      expect(syncArgoApplication).toHaveBeenCalledWith('app-east', 'argocd', 'ctp-a-claims'),
    );
    await alertApi.waitForAlert(a => a.message === 'Sync of argocd/ctp-a-claims started (Running)');
    await waitFor(() => expect(getGitOpsStatus).toHaveBeenCalledTimes(2));
  });

  it('does nothing when the confirmation is cancelled', async () => {
    const syncArgoApplication = jest.fn();
    await render({ getGitOpsStatus: async () => gitops, syncArgoApplication });
    await userEvent.click(await screen.findByRole('button', { name: 'Sync argocd/ctp-a-claims' }));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(syncArgoApplication).not.toHaveBeenCalled();
  });

  it('reports a refused sync', async () => {
    const syncArgoApplication = jest.fn(async () => {
      throw new Error('Argo CD instance app-east has no REST API URL configured');
    });
    const alertApi = await render({ getGitOpsStatus: async () => gitops, syncArgoApplication });
    await userEvent.click(await screen.findByRole('button', { name: 'Sync argocd/ctp-a-claims' }));
    await userEvent.click(screen.getByRole('button', { name: 'Sync' }));
    const alert = await alertApi.waitForAlert(a => a.severity === 'error');
    expect(alert.message).toBe(
      'Could not sync argocd/ctp-a-claims: Argo CD instance app-east has no REST API URL configured',
    );
  });

  it('hides the button when the Argo CD instance has no REST API', async () => {
    const noRest = { ...gitops, argocd: gitops.argocd.map(a => ({ ...a, canSync: false })) };
    await render({ getGitOpsStatus: async () => noRest });
    expect(await screen.findByText('Argo CD Applications')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Sync argocd/ })).not.toBeInTheDocument();
  });
});
