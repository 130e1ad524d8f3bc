import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider, entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_CONTROL_PLANE,
  ANNOTATION_STALE,
  ANNOTATION_STALE_REASON,
  claimEntityName,
} from '@upbound-backstage/plugin-upbound-common';
import { upboundApiRef, UpboundApi } from '../../api';
import { controlPlaneEntity } from '../../__fixtures__/entities';
import { claimApis, ctpA } from '../../__fixtures__/controlPlanes';
import { claimList, connections, gitops } from '../../__fixtures__/claims';
import { EntityControlPlaneContent } from './EntityControlPlaneContent';

function fakeApi(overrides: Partial<UpboundApi> = {}): Partial<UpboundApi> {
  return {
    getControlPlane: async () => ({ ...ctpA, claimApis }),
    listClaims: jest.fn(async () => claimList),
    getConnections: async () => connections,
    getGitOpsStatus: async () => gitops,
    ...overrides,
  };
}

function render(api: Partial<UpboundApi>, entity = controlPlaneEntity) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <EntityControlPlaneContent />
    </EntityProvider>,
    {
      apis: [[upboundApiRef, api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

describe('EntityControlPlaneContent', () => {
  // Four material tables per render: slow on a loaded machine.
  jest.setTimeout(60_000);

  it('shows claim APIs, claims, connections and GitOps', async () => {
    const api = fakeApi();
    await render(api);
    expect(await screen.findByText('Claim APIs')).toBeInTheDocument();
    expect(screen.getByText('Claim → XDatabase')).toBeInTheDocument();
    expect(screen.getByText('Namespaced XR')).toBeInTheDocument();

    const claim = claimList.items[1];
    expect(await screen.findByText('billing/billing-db')).toHaveAttribute(
      'href',
      `/catalog/default/resource/${claimEntityName({ ...claim, controlPlaneName: 'ctp-a' })}`,
    );
    expect(screen.getByText('app-east/billing')).toBeInTheDocument();
    expect(screen.getByText('Paused')).toBeInTheDocument();

    expect(await screen.findByText('Connected app clusters')).toBeInTheDocument();
    expect(screen.getByText('v1.storage.example.org (0 claims): FailedDiscoveryCheck')).toBeInTheDocument();

    expect(await screen.findByText('Argo CD Applications')).toBeInTheDocument();
    expect(screen.getByText('argocd/ctp-a-claims')).toBeInTheDocument();
    expect(screen.getByText('kustomization path not found')).toBeInTheDocument();
    expect(screen.getByText(/could not be read: app-west/)).toBeInTheDocument();
    expect(api.listClaims).toHaveBeenCalledTimes(1);
    expect(screen.queryByText(/could not be read since/)).not.toBeInTheDocument();
  });

  it('filters claims on the server', async () => {
    const api = fakeApi();
    await render(api);
    await screen.findByText('billing/billing-db');
    await userEvent.click(screen.getByLabelText('Ready'));
    await userEvent.click(within(screen.getByRole('listbox')).getByText('False'));
    await waitFor(() =>
      expect(api.listClaims).toHaveBeenLastCalledWith(ctpA.id, { ready: 'False', limit: 50 }),
    );
  });

  it('names an unreachable control plane', async () => {
    await render(
      fakeApi({
        getControlPlane: async () => ({
          ...ctpA,
          counts: undefined,
          claimApis: [],
          error: { cluster: ctpA.id, type: 'unreachable', message: 'connect ECONNREFUSED' },
        }),
      }),
    );
    expect(await screen.findByText(/Control plane ctp-a is unreachable/)).toBeInTheDocument();
    expect(screen.getByText(/ECONNREFUSED/)).toBeInTheDocument();
  });

  describe('when the catalog shows the last known state', () => {
    const stale = {
      ...controlPlaneEntity,
      metadata: {
        ...controlPlaneEntity.metadata,
        annotations: {
          ...controlPlaneEntity.metadata.annotations,
          [ANNOTATION_CONTROL_PLANE]: 'ctp-a',
          [ANNOTATION_STALE]: new Date(Date.now() - 10 * 60_000 - 5_000).toISOString(),
          [ANNOTATION_STALE_REASON]: 'Space local reports the control plane as not ready',
        },
      },
    };
    const title =
      'Warning: Control plane ctp-a could not be read since 10 minutes ago; showing the last known state.';

    it('warns above the live details', async () => {
      await render(
        fakeApi({
          getControlPlane: async () => ({
            ...ctpA,
            counts: undefined,
            claimApis: [],
            error: { cluster: ctpA.id, type: 'unreachable', message: 'connect ECONNREFUSED' },
          }),
        }),
        stale,
      );
      // The warning shows while the live details load, and stays above them.
      expect(await screen.findByText(/Control plane ctp-a is unreachable/)).toBeInTheDocument();
      expect(screen.getByText(title)).toBeInTheDocument();
      expect(
        screen.getByText('Reason: Space local reports the control plane as not ready'),
      ).toBeInTheDocument();
    });

    it('still warns when the control plane cannot be fetched at all', async () => {
      await render(
        fakeApi({
          getControlPlane: async () => {
            throw new Error('GET /apis on space/local/platform/ctp-a failed: cannot reach the API server');
          },
        }),
        stale,
      );
      expect(await screen.findByText(/Could not read control plane ctp-a: /)).toBeInTheDocument();
      expect(screen.getByText(title)).toBeInTheDocument();
      expect(
        screen.getByText(/Could not read control plane ctp-a: GET \/apis on space\/local\/platform\/ctp-a failed/),
      ).toBeInTheDocument();
    });
  });
});
