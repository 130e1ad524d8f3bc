import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider, entityRouteRef } from '@backstage/plugin-catalog-react';
import { claimEntityName } from '@upbound-backstage/plugin-upbound-common';
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

function render(api: Partial<UpboundApi>) {
  return renderInTestApp(
    <EntityProvider entity={controlPlaneEntity}>
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
    expect(await screen.findByText('billing-db')).toHaveAttribute(
      'href',
      `/catalog/default/resource/${claimEntityName({ ...claim, controlPlaneName: 'ctp-a' })}`,
    );
    expect(screen.getByText('app-east/billing')).toBeInTheDocument();
    expect(screen.getByText('Paused')).toBeInTheDocument();

    expect(await screen.findByText('Connected app clusters')).toBeInTheDocument();
    expect(screen.getByText('v1.storage.example.org: FailedDiscoveryCheck')).toBeInTheDocument();

    expect(await screen.findByText('Argo CD Applications')).toBeInTheDocument();
    expect(screen.getByText('argocd/ctp-a-claims')).toBeInTheDocument();
    expect(screen.getByText('kustomization path not found')).toBeInTheDocument();
    expect(screen.getByText(/could not be read: app-west/)).toBeInTheDocument();
    expect(api.listClaims).toHaveBeenCalledTimes(1);
  });

  it('filters claims on the server', async () => {
    const api = fakeApi();
    await render(api);
    await screen.findByText('billing-db');
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
});
