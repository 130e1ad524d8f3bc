import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ANNOTATION_CONTROL_PLANE,
  ANNOTATION_STALE,
  ANNOTATION_STALE_REASON,
} from '@upbound-backstage/plugin-upbound-common';
import { upboundApiRef, UpboundApi } from '../../api';
import { claimEntity } from '../../__fixtures__/entities';
import { ctpA } from '../../__fixtures__/controlPlanes';
import { EntityClaimCard } from './EntityClaimCard';

const object = {
  apiVersion: 'platform.example.org/v1alpha1',
  kind: 'Database',
  metadata: {
    name: 'billing-db',
    namespace: 'team-a',
    creationTimestamp: new Date(Date.now() - 3 * 3600_000).toISOString(),
  },
  spec: {
    compositionRef: { name: 'database-aws' },
    writeConnectionSecretToRef: { name: 'billing-db-conn' },
    resourceRef: { apiVersion: 'platform.example.org/v1alpha1', kind: 'XDatabase', name: 'billing-db-x7k2p' },
  },
  status: {
    conditions: [
      { type: 'Ready', status: 'False', reason: 'Unavailable', message: 'composite resource is not ready' },
      { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
    ],
  },
};

function fakeApi(overrides: Partial<UpboundApi> = {}): Partial<UpboundApi> {
  return {
    getEntityTarget: async () => ({
      controlPlaneId: ctpA.id,
      apiVersion: object.apiVersion,
      kind: 'Database',
      namespace: 'team-a',
      name: 'billing-db',
      controlPlane: ctpA,
    }),
    getEntityObject: async () => ({ object, yaml: '' }),
    ...overrides,
  };
}

async function render(
  api: Partial<UpboundApi>,
  authorize: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
  entity = claimEntity,
) {
  const alertApi = mockApis.alert();
  await renderInTestApp(
    <EntityProvider entity={entity}>
      <EntityClaimCard />
    </EntityProvider>,
    { apis: [[upboundApiRef, api], mockApis.permission({ authorize }), alertApi] },
  );
  return alertApi;
}

describe('EntityClaimCard', () => {
  it('shows Ready and Synced with reason and message, composition, secret and age', async () => {
    // usePermission caches decisions per request, so the denied case uses its own entity.
    const other = { ...claimEntity, metadata: { ...claimEntity.metadata, name: 'denied-claim' } };
    await render(fakeApi(), AuthorizeResult.DENY, other);
    expect(await screen.findByText('Unavailable')).toBeInTheDocument();
    expect(screen.getByText('composite resource is not ready')).toBeInTheDocument();
    expect(screen.getByText('ReconcileSuccess')).toBeInTheDocument();
    expect(screen.getByText('database-aws')).toBeInTheDocument();
    expect(screen.getByText('billing-db-conn')).toBeInTheDocument();
    expect(screen.getByText('XDatabase billing-db-x7k2p')).toBeInTheDocument();
    expect(screen.getByText('local/platform/ctp-a')).toBeInTheDocument();
    expect(screen.getByText('3h')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Pause/ })).not.toBeInTheDocument();
    expect(screen.queryByText(/could not be read since/)).not.toBeInTheDocument();
  });

  it('warns that the catalog shows the last known state of an unreadable control plane', async () => {
    const stale = {
      ...claimEntity,
      metadata: {
        ...claimEntity.metadata,
        name: 'stale-claim',
        annotations: {
          ...claimEntity.metadata.annotations,
          [ANNOTATION_CONTROL_PLANE]: 'ctp-a',
          [ANNOTATION_STALE]: new Date(Date.now() - 3 * 3600_000 - 60_000).toISOString(),
          [ANNOTATION_STALE_REASON]: 'cannot reach the API server (ECONNREFUSED)',
        },
      },
    };
    const unreachable = async () => {
      throw new Error('GET /apis on space/local/platform/ctp-a failed: cannot reach the API server');
    };
    await render(fakeApi({ getEntityObject: unreachable }), AuthorizeResult.DENY, stale);
    expect(
      await screen.findByText(
        'Warning: Control plane ctp-a could not be read since 3 hours ago; showing the last known state.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Reason: cannot reach the API server (ECONNREFUSED)'),
    ).toBeInTheDocument();
    // The live read fails too, and says which control plane.
    expect(
      await screen.findByText(/Could not read the Crossplane status: .* on space\/local\/platform\/ctp-a failed/),
    ).toBeInTheDocument();
  });

  it('pauses after confirmation when the user may update the claim', async () => {
    const setEntityPaused = jest.fn(async () => ({ paused: true }));
    const alertApi = await render(fakeApi({ setEntityPaused }), AuthorizeResult.ALLOW);
    await userEvent.click(await screen.findByRole('button', { name: /Pause/ }));
    expect(screen.getByText('Pause reconciliation?')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    await waitFor(() =>
      expect(setEntityPaused).toHaveBeenCalledWith(
        { kind: 'Resource', namespace: 'default', name: claimEntity.metadata.name },
        true,
      ),
    );
    await alertApi.waitForAlert(a => a.message === 'Reconciliation paused');
  });

  it('reports a failed reconcile', async () => {
    const reconcileEntity = jest.fn(async () => {
      throw new Error('control plane unreachable');
    });
    const alertApi = await render(fakeApi({ reconcileEntity }), AuthorizeResult.ALLOW);
    await userEvent.click(await screen.findByRole('button', { name: /Reconcile/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    const alert = await alertApi.waitForAlert(a => a.severity === 'error');
    expect(alert.message).toBe('Could not reconcile: control plane unreachable');
  });
});
