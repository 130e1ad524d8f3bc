import { screen } from '@testing-library/react';
import { createExtensionTester, renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider, entityRouteRef } from '@backstage/plugin-catalog-react';
import plugin, {
  upboundClaimDeliveryEntityCard,
  upboundControlPlanesPage,
  upboundScaffolderFieldsModule,
} from './alpha';
import { upboundApiRef } from './api';
import { controlPlaneList } from './__fixtures__/controlPlanes';
import { fluxDelivery } from './__fixtures__/delivery';
import { claimEntity } from './__fixtures__/entities';

describe('new frontend system plugin', () => {
  it('is the upbound plugin with a scaffolder module', () => {
    expect(plugin.id).toBe('upbound');
    expect(upboundScaffolderFieldsModule.pluginId).toBe('scaffolder');
  });

  it('renders the control planes page', async () => {
    const api = { listControlPlanes: async () => controlPlaneList };
    await renderInTestApp(
      createExtensionTester(upboundControlPlanesPage, { apis: [[upboundApiRef, api]] }).reactElement(),
      {
        apis: [[upboundApiRef, api]],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(await screen.findByText('Space: local')).toBeInTheDocument();
  });

  it('renders the claim delivery card on a claim entity', async () => {
    const api = { getEntityDelivery: async () => fluxDelivery };
    const tester = createExtensionTester(upboundClaimDeliveryEntityCard, {
      apis: [[upboundApiRef, api]],
    });
    await renderInTestApp(<EntityProvider entity={claimEntity}>{tester.reactElement()}</EntityProvider>, {
      apis: [[upboundApiRef, api]],
    });
    expect(await screen.findByText('Delivery')).toBeInTheDocument();
    expect(await screen.findByText('Stuck here')).toBeInTheDocument();
  });
});
