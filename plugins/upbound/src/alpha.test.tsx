import { screen } from '@testing-library/react';
import { createExtensionTester, renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import plugin, { upboundControlPlanesPage, upboundScaffolderFieldsModule } from './alpha';
import { upboundApiRef } from './api';
import { controlPlaneList } from './__fixtures__/controlPlanes';

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
});
