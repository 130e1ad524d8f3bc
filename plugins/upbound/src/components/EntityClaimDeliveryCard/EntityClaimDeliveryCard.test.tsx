import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { upboundApiRef, type UpboundApi } from '../../api';
import { claimEntity } from '../../__fixtures__/entities';
import { directDelivery, fluxDelivery } from '../../__fixtures__/delivery';
import { EntityClaimDeliveryCard } from './EntityClaimDeliveryCard';

async function render(api: Partial<UpboundApi>) {
  await renderInTestApp(
    <EntityProvider entity={claimEntity}>
      <EntityClaimDeliveryCard />
    </EntityProvider>,
    { apis: [[upboundApiRef, api]] },
  );
}

describe('EntityClaimDeliveryCard', () => {
  it('shows the steps in order, each with its state, time and message, and where delivery is stuck', async () => {
    const getEntityDelivery = jest.fn(async () => fluxDelivery);
    await render({ getEntityDelivery });
    expect(
      await screen.findByText(
        'From Git to Ready resources, applied by Flux Kustomization flux-system/prod-claims',
      ),
    ).toBeInTheDocument();
    expect(getEntityDelivery).toHaveBeenCalledWith({
      kind: 'Resource',
      namespace: 'default',
      name: claimEntity.metadata.name,
    });

    const items = screen.getAllByTestId(/^delivery-step-/);
    expect(items.map(i => i.dataset.testid)).toEqual([
      'delivery-step-revision',
      'delivery-step-applied',
      'delivery-step-claim',
      'delivery-step-composite',
      'delivery-step-resources',
    ]);
    // The revision title keeps its full SHA on hover but shows it short.
    const revision = within(items[0]);
    expect(
      revision.getByText(
        'Revision main@sha1:9f8e7d6 of http://127.0.0.1:27480/platform-claims.git (./claims)',
      ),
    ).toHaveAttribute('title', fluxDelivery.steps[0].title);
    expect(revision.getByTitle('Done')).toBeInTheDocument();
    const time = items[0].querySelector('time');
    expect(time).toHaveAttribute('datetime', '2026-11-20T10:01:00Z');
    expect(time).toHaveTextContent(/ago$/);
    expect(time).toHaveAttribute(
      'title',
      expect.stringMatching(/Nov 20, 2026/),
    );

    const resources = within(items[4]);
    expect(resources.getByTitle('Failed')).toBeInTheDocument();
    expect(
      resources.getByText(/instance class db\.x9\.huge is not supported/),
    ).toBeInTheDocument();
    expect(resources.getByText('Stuck here')).toBeInTheDocument();
    expect(screen.getAllByText('Stuck here')).toHaveLength(1);
  });

  it('marks the first pending step as stuck when nothing failed', async () => {
    const steps = fluxDelivery.steps.map((s, i) =>
      i >= 3
        ? {
            ...s,
            state: 'pending' as const,
            message: 'Waiting for the composite',
          }
        : s,
    );
    await render({
      getEntityDelivery: async () => ({ ...fluxDelivery, steps }),
    });
    const composite = await screen.findByTestId('delivery-step-composite');
    expect(within(composite).getByText('Stuck here')).toBeInTheDocument();
    expect(within(composite).getByTitle('Pending')).toBeInTheDocument();
    expect(screen.getAllByText('Stuck here')).toHaveLength(1);
  });

  it('shows the Crossplane steps of a claim no GitOps engine applied', async () => {
    await render({ getEntityDelivery: async () => directDelivery });
    expect(
      await screen.findByText(
        'No GitOps engine applied this claim: it carries no Argo CD or Flux mark',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('delivery-step-revision'),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText('Claim team-a/orders-db created'),
    ).toBeInTheDocument();
    const composite = screen.getByTestId('delivery-step-composite');
    expect(within(composite).getByText('Stuck here')).toBeInTheDocument();
    expect(
      within(composite).getByText(
        'Crossplane has not bound a composite resource to this claim yet',
      ),
    ).toBeInTheDocument();
    // A step without a time says so.
    expect(within(composite).getByText('–')).toBeInTheDocument();
  });

  it('names the clusters it could not read', async () => {
    await render({
      getEntityDelivery: async () => ({
        ...fluxDelivery,
        errors: [
          {
            cluster: 'app-east',
            type: 'unreachable',
            message: 'connect ECONNREFUSED',
          },
        ],
      }),
    });
    expect(
      await screen.findByText(/could not be read: app-east/),
    ).toBeInTheDocument();
  });

  it('says why the delivery could not be read, and reads it again on refresh', async () => {
    const getEntityDelivery = jest
      .fn()
      .mockRejectedValueOnce(new Error('control plane ctp-a is unreachable'))
      .mockResolvedValueOnce(fluxDelivery);
    await render({ getEntityDelivery });
    expect(
      await screen.findByText(
        /Could not read the delivery of this claim: control plane ctp-a is unreachable/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Refresh delivery' }),
    );
    expect(await screen.findByText('Stuck here')).toBeInTheDocument();
    await waitFor(() => expect(getEntityDelivery).toHaveBeenCalledTimes(2));
  });

  it('shows progress while loading', async () => {
    await render({ getEntityDelivery: () => new Promise(() => {}) });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });
});
