import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { upboundApiRef, type UpboundApi } from '../../api';
import { ConnectionsCard } from './ConnectionsCard';

describe('ConnectionsCard', () => {
  it('shows an app cluster whose connector is installed before any claim, and how it was installed', async () => {
    const api: Partial<UpboundApi> = {
      getConnections: async () => ({
        errors: [],
        connections: [
          {
            clusterId: 'c-1',
            appCluster: 'app-1',
            claimNamespaces: ['by-hand'],
            claimCount: 0,
            apiServices: [],
            missingApiServices: ['v1alpha1.platform.example.org'],
            installs: [
              {
                via: 'helm',
                namespace: 'kube-system',
                releaseName: 'mcp-connector',
                chartVersion: '0.6.0',
                claimNamespace: 'by-hand',
                status: 'deployed',
                managedByBackstage: false,
              },
            ],
          },
        ],
      }),
    };
    await renderInTestApp(<ConnectionsCard controlPlaneId="space/local/platform/dev" />, {
      apis: [[upboundApiRef, api]],
    });
    expect(await screen.findByText('app-1')).toBeInTheDocument();
    expect(
      screen.getByText('Helm release kube-system/mcp-connector 0.6.0 (deployed, installed with up or helm)'),
    ).toBeInTheDocument();
    // A claim API the app cluster cannot use through the connector is flagged.
    expect(screen.getByText('v1alpha1.platform.example.org: no APIService')).toBeInTheDocument();
    // The install can be removed with the disconnect template, filled in for it.
    const uninstall = screen.getByRole('link', { name: 'Uninstall…' });
    const href = new URL(uninstall.getAttribute('href')!, 'http://localhost');
    expect(href.pathname).toBe('/create/templates/default/upbound-disconnect-app-cluster');
    expect(JSON.parse(href.searchParams.get('formData')!)).toEqual({
      appCluster: 'app-1',
      controlPlane: 'space/local/platform/dev',
      claimNamespace: 'by-hand',
      releaseName: 'mcp-connector',
      installationNamespace: 'kube-system',
      helmRelease: true,
    });
  });

  it('counts claims per claim API', async () => {
    const api: Partial<UpboundApi> = {
      getConnections: async () => ({
        errors: [],
        connections: [
          {
            clusterId: 'c-1',
            appCluster: 'app-1',
            claimNamespaces: ['app-1'],
            claimCount: 3,
            apiServices: [
              {
                name: 'v1alpha1.storage.example.org',
                group: 'storage.example.org',
                version: 'v1alpha1',
                available: { state: 'True', reason: 'Passed' },
                claimCount: 3,
              },
              {
                name: 'v1alpha1.database.example.org',
                group: 'database.example.org',
                version: 'v1alpha1',
                available: { state: 'False', reason: 'ServiceNotFound' },
                claimCount: 0,
              },
            ],
          },
        ],
      }),
    };
    await renderInTestApp(<ConnectionsCard controlPlaneId="space/local/platform/dev" />, {
      apis: [[upboundApiRef, api]],
    });
    expect(await screen.findByText('v1alpha1.storage.example.org (3 claims): Passed')).toBeInTheDocument();
    expect(screen.getByText('v1alpha1.database.example.org (0 claims): ServiceNotFound')).toBeInTheDocument();
  });
});
