import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { upboundApiRef, type UpboundApi } from '../../api';
import { claimApis, ctpA } from '../../__fixtures__/controlPlanes';
import { claimList } from '../../__fixtures__/claims';
import { ClaimsTable } from './ClaimsTable';

describe('ClaimsTable', () => {
  jest.setTimeout(30_000);

  it('says which Argo CD Application, Flux Kustomization or app cluster delivered each claim', async () => {
    const [orders, billing, assets] = claimList.items;
    const api: Partial<UpboundApi> = {
      listAppClusters: async () => ({ items: [] }),
      listClaims: async () => ({
        ...claimList,
        items: [
          { ...orders, gitops: { engine: 'argocd', name: 'payments-claims' } },
          billing,
          {
            ...assets,
            gitops: {
              engine: 'flux',
              name: 'prod-claims',
              namespace: 'flux-system',
            },
          },
        ],
      }),
    };
    await renderInTestApp(
      <ClaimsTable controlPlane={ctpA} claimApis={claimApis} />,
      {
        apis: [[upboundApiRef, api]],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    const header = await screen.findByRole('columnheader', {
      name: 'Delivered by',
    });
    expect(header).toBeInTheDocument();
    const row = (name: string) => screen.getByText(name).closest('tr')!;
    expect(
      within(row('orders-db')).getByText('Argo CD · payments-claims'),
    ).toBeInTheDocument();
    expect(
      within(row('orders-db')).getByTitle(
        'Argo CD Application payments-claims',
      ),
    ).toBeInTheDocument();
    expect(
      within(row('assets')).getByText('Flux · flux-system/prod-claims'),
    ).toBeInTheDocument();
    // The connector claim came from an app cluster, not from Git.
    expect(
      within(row('billing/billing-db')).getByText('app-east/billing'),
    ).toBeInTheDocument();
    expect(
      within(row('billing/billing-db')).queryByText(/Argo CD|Flux/),
    ).not.toBeInTheDocument();
  });

  it('lists a connector claim by its app cluster namespace/name, with the control plane object name as the secondary field', async () => {
    const [, billing] = claimList.items;
    const api: Partial<UpboundApi> = {
      listAppClusters: async () => ({
        items: [{ name: 'app-1', title: 'App 1', clusterId: 'c-1', source: 'upbound' } as any],
      }),
      listClaims: async () => ({
        ...claimList,
        items: [
          {
            ...billing,
            namespace: 'dev',
            name: 'claim-2187b9af1c56c196',
            connector: { appCluster: 'c-1', appNamespace: 'shop', appName: 'orders-db' },
          },
        ],
      }),
    };
    await renderInTestApp(<ClaimsTable controlPlane={ctpA} claimApis={claimApis} />, {
      apis: [[upboundApiRef, api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    const link = await screen.findByRole('link', { name: 'shop/orders-db' });
    const row = link.closest('tr')!;
    expect(within(row).getByText(/Database · stored as claim-2187b9af1c56c196/)).toBeInTheDocument();
    expect(within(row).getByText('app-1/shop')).toBeInTheDocument();

    // The table's search finds it by either name.
    const search = screen.getByPlaceholderText('Filter');
    for (const term of ['shop/orders', 'claim-2187b9af', 'orders-db']) {
      fireEvent.change(search, { target: { value: term } });
      expect(await screen.findByRole('link', { name: 'shop/orders-db' })).toBeInTheDocument();
    }
    fireEvent.change(search, { target: { value: 'no-such-claim' } });
    await waitFor(() => expect(screen.queryByRole('link', { name: 'shop/orders-db' })).not.toBeInTheDocument());
  });
});
