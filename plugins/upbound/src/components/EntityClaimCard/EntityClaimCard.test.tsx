import { screen, waitFor, within } from '@testing-library/react';
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
import { argoApplication, fluxDelivery } from '../../__fixtures__/delivery';
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
    expect(screen.queryByTestId('gitops-warning')).not.toBeInTheDocument();
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

  describe('on a claim that GitOps applied', () => {
    const fluxObject = {
      ...object,
      metadata: {
        ...object.metadata,
        labels: {
          'kustomize.toolkit.fluxcd.io/name': 'prod-claims',
          'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
        },
      },
    };
    const argoObject = {
      ...object,
      metadata: {
        ...object.metadata,
        annotations: {
          'argocd.argoproj.io/tracking-id':
            'payments-claims:platform.example.org/Database:team-a/billing-db',
        },
      },
    };
    const named = (name: string) => ({ ...claimEntity, metadata: { ...claimEntity.metadata, name } });

    it('shows the Flux Kustomization, its repository, path, revision and state', async () => {
      const getEntityDelivery = jest.fn(async () => fluxDelivery);
      await render(
        fakeApi({ getEntityObject: async () => ({ object: fluxObject, yaml: '' }), getEntityDelivery }),
        AuthorizeResult.DENY,
        named('flux-claim'),
      );
      expect(
        await screen.findByText('Flux Kustomization flux-system/prod-claims (cluster app-east)'),
      ).toBeInTheDocument();
      expect(screen.getByText('127.0.0.1:27480/platform-claims.git')).toBeInTheDocument();
      expect(screen.getByText('GitRepository/flux-system · ./claims')).toBeInTheDocument();
      expect(screen.getByText('main@sha1:9f8e7d6')).toBeInTheDocument();
      expect(screen.getByText('Ready: ReconciliationSucceeded')).toBeInTheDocument();
      expect(getEntityDelivery).toHaveBeenCalledWith({
        kind: 'Resource',
        namespace: 'default',
        name: 'flux-claim',
      });
    });

    it('shows the Argo CD Application with its sync state', async () => {
      const delivery = {
        ...fluxDelivery,
        origin: { engine: 'argocd' as const, name: 'payments-claims' },
        kustomization: undefined,
        application: argoApplication,
      };
      await render(
        fakeApi({
          getEntityObject: async () => ({ object: argoObject, yaml: '' }),
          getEntityDelivery: async () => delivery,
        }),
        AuthorizeResult.DENY,
        named('argo-claim'),
      );
      expect(
        await screen.findByText('Argo CD Application payments-claims (Argo CD app-east)'),
      ).toBeInTheDocument();
      expect(screen.getByText('git.example.org/platform-claims.git')).toBeInTheDocument();
      expect(screen.getByText('claims @ main')).toBeInTheDocument();
      expect(screen.getByText('4f2a9c1')).toBeInTheDocument();
      const syncRow = within(screen.getByText('Sync State').closest('tr')!);
      expect(syncRow.getByText('Synced')).toBeInTheDocument();
      expect(syncRow.getByText('2 resources')).toBeInTheDocument();
      expect(syncRow.getByText('Healthy')).toBeInTheDocument();
    });

    it('names the GitOps object even when its state cannot be read', async () => {
      await render(
        fakeApi({
          getEntityObject: async () => ({ object: fluxObject, yaml: '' }),
          getEntityDelivery: async () => {
            throw new Error('app-east is unreachable');
          },
        }),
        AuthorizeResult.DENY,
        named('flux-claim-unreadable'),
      );
      expect(await screen.findByText('Flux Kustomization flux-system/prod-claims')).toBeInTheDocument();
      expect(
        await screen.findByText('Its state could not be read: app-east is unreachable'),
      ).toBeInTheDocument();
      // The Crossplane status is still there.
      expect(screen.getByText('database-aws')).toBeInTheDocument();
    });

    it('does not ask for the delivery of a claim no engine applied', async () => {
      const getEntityDelivery = jest.fn();
      await render(fakeApi({ getEntityDelivery }), AuthorizeResult.DENY, named('plain-claim'));
      expect(await screen.findByText('database-aws')).toBeInTheDocument();
      expect(screen.queryByText(/Delivered/)).not.toBeInTheDocument();
      expect(getEntityDelivery).not.toHaveBeenCalled();
    });

    it('warns before a day-2 action that Git wins', async () => {
      const setEntityPaused = jest.fn(async () => ({ paused: true }));
      await render(
        fakeApi({
          getEntityObject: async () => ({ object: fluxObject, yaml: '' }),
          getEntityDelivery: async () => fluxDelivery,
          setEntityPaused,
        }),
        AuthorizeResult.ALLOW,
      );
      await userEvent.click(await screen.findByRole('button', { name: /Pause/ }));
      const warning = screen.getByTestId('gitops-warning');
      expect(warning).toHaveTextContent(
        'This claim is managed by Flux Kustomization flux-system/prod-claims. Fields set in Git are reverted',
      );
      expect(warning).toHaveTextContent('lasting changes belong in Git');
      expect(warning).toHaveTextContent('crossplane.io/paused annotation, which Git does not set');
      await userEvent.click(screen.getByRole('button', { name: 'Confirm' }));
      await waitFor(() => expect(setEntityPaused).toHaveBeenCalled());
    });
  });
});
