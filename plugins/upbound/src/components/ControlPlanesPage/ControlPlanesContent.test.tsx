import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { ResponseError } from '@backstage/errors';
import { controlPlaneEntityName } from '@upbound-backstage/plugin-upbound-common';
import { upboundApiRef, UpboundApi } from '../../api';
import { controlPlaneList, ctpA } from '../../__fixtures__/controlPlanes';
import { ControlPlanesContent } from './ControlPlanesContent';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

function render(api: Partial<UpboundApi>) {
  return renderInTestApp(<ControlPlanesContent />, {
    apis: [[upboundApiRef, api]],
    mountedRoutes,
  });
}

describe('ControlPlanesContent', () => {
  it('groups control planes by Space and names the unreachable one', async () => {
    await render({ listControlPlanes: async () => controlPlaneList });

    expect(await screen.findByText('Space: local')).toBeInTheDocument();
    expect(screen.getByText('Direct control planes')).toBeInTheDocument();
    expect(screen.getByText(/could not be read: direct\/oss-lab/)).toBeInTheDocument();
    expect(screen.getByText('API unreachable (unreachable)')).toBeInTheDocument();
    expect(screen.getByText('1 failing')).toBeInTheDocument();
    expect(screen.getByText('1.20.1-up.1')).toBeInTheDocument();
    expect(screen.getByText('platform')).toBeInTheDocument();
    expect(screen.getByText('team-b')).toBeInTheDocument();

    const link = screen.getByText('ctp-a').closest('a');
    expect(link).toHaveAttribute(
      'href',
      `/catalog/default/resource/${controlPlaneEntityName(ctpA)}`,
    );
    expect(screen.getByRole('link', { name: /Upbound console/ })).toHaveAttribute(
      'href',
      ctpA.consoleUrl,
    );
  });

  it('filters by search text and status', async () => {
    await render({ listControlPlanes: async () => controlPlaneList });
    await screen.findByText('ctp-a');

    await userEvent.type(screen.getByLabelText('Search'), 'team-b');
    expect(screen.queryByText('ctp-a')).not.toBeInTheDocument();
    expect(screen.getByText('ctp-b')).toBeInTheDocument();

    await userEvent.clear(screen.getByLabelText('Search'));
    await userEvent.click(screen.getByLabelText('Status'));
    await userEvent.click(within(screen.getByRole('listbox')).getByText('Unreachable'));
    await waitFor(() => expect(screen.queryByText('ctp-b')).not.toBeInTheDocument());
    expect(screen.getByText('oss-lab')).toBeInTheDocument();
  });

  it('shows an empty state without control planes', async () => {
    await render({ listControlPlanes: async () => ({ items: [], errors: [] }) });
    expect(await screen.findByText('No control planes found')).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const response = new Response(
      JSON.stringify({ error: { name: 'NotAllowedError', message: 'Denied by policy' } }),
      { status: 403, headers: { 'Content-Type': 'application/json' } },
    );
    const error = await ResponseError.fromResponse(response as any);
    await render({ listControlPlanes: async () => Promise.reject(error) });
    expect(await screen.findByText(/Denied by policy/)).toBeInTheDocument();
  });
});
