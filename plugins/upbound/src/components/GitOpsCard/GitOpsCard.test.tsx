import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { upboundApiRef, type UpboundApi } from '../../api';
import { gitops } from '../../__fixtures__/claims';
import {
  argoApplication,
  fluxKustomization,
} from '../../__fixtures__/delivery';
import { GitOpsCard } from './GitOpsCard';

// usePermission caches decisions for the whole file (SWR), so the denied case is in
// ArgoSyncButton.test.tsx.
async function render(api: Partial<UpboundApi>) {
  const alertApi = mockApis.alert();
  await renderInTestApp(
    <GitOpsCard controlPlaneId="space/local/platform/ctp-a" />,
    {
      apis: [
        [upboundApiRef, api],
        mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        alertApi,
      ],
    },
  );
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

    await userEvent.click(
      await screen.findByRole('button', { name: 'Sync argocd/ctp-a-claims' }),
    );
    expect(screen.getByText('Sync argocd/ctp-a-claims?')).toBeInTheDocument();
    expect(syncArgoApplication).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Sync' }));

    await waitFor(() =>
      expect(syncArgoApplication).toHaveBeenCalledWith(
        'app-east',
        'argocd',
        'ctp-a-claims',
      ),
    );
    await alertApi.waitForAlert(
      a => a.message === 'Sync of argocd/ctp-a-claims started (Running)',
    );
    await waitFor(() => expect(getGitOpsStatus).toHaveBeenCalledTimes(2));
  });

  it('does nothing when the confirmation is cancelled', async () => {
    const syncArgoApplication = jest.fn();
    await render({ getGitOpsStatus: async () => gitops, syncArgoApplication });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Sync argocd/ctp-a-claims' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(syncArgoApplication).not.toHaveBeenCalled();
  });

  it('reports a refused sync', async () => {
    const syncArgoApplication = jest.fn(async () => {
      throw new Error(
        'Argo CD instance app-east has no REST API URL configured',
      );
    });
    const alertApi = await render({
      getGitOpsStatus: async () => gitops,
      syncArgoApplication,
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Sync argocd/ctp-a-claims' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Sync' }));
    const alert = await alertApi.waitForAlert(a => a.severity === 'error');
    expect(alert.message).toBe(
      'Could not sync argocd/ctp-a-claims: Argo CD instance app-east has no REST API URL configured',
    );
  });

  it('hides the button when the Argo CD instance has no REST API', async () => {
    const noRest = {
      ...gitops,
      argocd: gitops.argocd.map(a => ({ ...a, canSync: false })),
    };
    await render({ getGitOpsStatus: async () => noRest });
    expect(await screen.findByText('Argo CD Applications')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /^Sync argocd/ }),
    ).not.toBeInTheDocument();
  });

  it('shows Argo CD conditions and warns about a sync that found no objects', async () => {
    const emptyApp = {
      ...argoApplication,
      name: 'empty-claims',
      path: 'claims',
      syncRevision: 'v1.0.0',
      resourceCount: 0,
      conditions: [
        {
          type: 'ComparisonError',
          message: 'rpc error: repository not accessible',
        },
        { type: 'OrphanedResourceWarning', message: '2 orphaned resources' },
      ],
    };
    await render({
      getGitOpsStatus: async () => ({
        errors: [],
        argocd: [argoApplication, emptyApp],
        flux: [],
      }),
    });
    expect(await screen.findByText('argocd/empty-claims')).toBeInTheDocument();
    expect(screen.getByText('Synced, 0 resources')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Synced, but no objects found at claims; check the path, or enable recurse for sub-folders',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('ComparisonError')).toBeInTheDocument();
    expect(
      screen.getByText('rpc error: repository not accessible'),
    ).toBeInTheDocument();
    expect(screen.getByText('OrphanedResourceWarning')).toBeInTheDocument();
    // The healthy one: its count, short revision (full on hover) and when it synced.
    expect(screen.getByText('2 resources')).toBeInTheDocument();
    expect(screen.getByText('4f2a9c1')).toHaveAttribute(
      'title',
      argoApplication.syncRevision,
    );
    const finished = document.querySelector(
      `time[datetime="${argoApplication.operationFinishedAt}"]`,
    );
    expect(finished).toHaveTextContent(/ago$/);
    expect(finished).toHaveAttribute('title', expect.stringMatching(/2026/));
  });

  it('shows a failing Flux source next to the Kustomization that applies from it', async () => {
    const failing = {
      ...fluxKustomization,
      ready: { state: 'True' as const, reason: 'ReconciliationSucceeded' },
      lastAttemptedRevision: fluxKustomization.lastAppliedRevision,
      source: {
        url: 'http://127.0.0.1:27480/platform-claims.git',
        ready: {
          state: 'False' as const,
          reason: 'GitOperationFailed',
          message:
            'failed to checkout and determine revision: unable to clone: repository not found',
        },
        revision: fluxKustomization.lastAppliedRevision,
      },
    };
    await render({
      getGitOpsStatus: async () => ({
        errors: [],
        argocd: [],
        flux: [failing],
      }),
    });
    expect(
      await screen.findByText('flux-system/prod-claims'),
    ).toBeInTheDocument();
    expect(screen.getByText('Source: GitOperationFailed')).toBeInTheDocument();
    expect(
      screen.getByText(/unable to clone: repository not found/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('127.0.0.1:27480/platform-claims.git'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('GitRepository/flux-system · ./claims'),
    ).toBeInTheDocument();
    expect(screen.getByText('main@sha1:9f8e7d6')).toBeInTheDocument();
    expect(screen.getByText('3 resources')).toBeInTheDocument();
  });

  it('names a refused credential first', async () => {
    const problem =
      'Flux cannot authenticate to the control plane: Unauthorized. Give the connection a valid token (run the connect template again with a new credential).';
    const refused = {
      ...fluxKustomization,
      ready: {
        state: 'False' as const,
        reason: 'ReconciliationFailed',
        message: 'Unauthorized',
      },
      credentialProblem: problem,
    };
    await render({
      getGitOpsStatus: async () => ({
        errors: [],
        argocd: [],
        flux: [refused],
      }),
    });
    expect(
      await screen.findByText(
        'Error: Flux Kustomization flux-system/prod-claims: the control plane refuses its credential',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(problem)).toBeInTheDocument();
  });

  it('warns about a Ready Kustomization that applies nothing', async () => {
    const empty = { ...fluxKustomization, resourceCount: 0 };
    await render({
      getGitOpsStatus: async () => ({ errors: [], argocd: [], flux: [empty] }),
    });
    expect(
      await screen.findByText(
        'Ready, but no objects found at ./claims; check the path',
      ),
    ).toBeInTheDocument();
  });
});
