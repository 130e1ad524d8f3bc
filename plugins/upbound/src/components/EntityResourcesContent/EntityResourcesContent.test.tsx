import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { mockApis, registerMswTestHooks, renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { upboundApiRef, UpboundApi, UpboundClient } from '../../api';
import { claimEntity } from '../../__fixtures__/entities';
import { bigGraph, failingGraph, failingNode } from '../../__fixtures__/graphs';
import { events } from '../../__fixtures__/claims';
import { EntityResourcesContent } from './EntityResourcesContent';

const server = setupServer();
registerMswTestHooks(server);

function render(api: Partial<UpboundApi>) {
  return renderInTestApp(
    <EntityProvider entity={claimEntity}>
      <EntityResourcesContent />
    </EntityProvider>,
    { apis: [[upboundApiRef, api]] },
  );
}

describe('EntityResourcesContent', () => {
  it('draws the graph with the failing path and opens a node in the side panel', async () => {
    const getEntityEvents = jest.fn(async () => ({ items: events }));
    const getEntityObject = jest.fn(async () => ({
      object: {
        status: {
          conditions: [
            { type: 'Synced', status: 'False', reason: 'ReconcileError', message: 'bad class' },
          ],
        },
      },
      yaml: 'apiVersion: rds.aws.upbound.io/v1beta1\nkind: Instance\n',
    }));
    await render({
      getEntityGraph: async () => failingGraph,
      getEntityEvents,
      getEntityObject,
    });

    const node = await screen.findByTestId(`graph-node-${failingNode.id}`);
    expect(node).toHaveAttribute('data-health', 'error');
    expect(node).toHaveAttribute('data-failing', 'true');
    expect(
      screen.getByTestId(`graph-node-${failingGraph.nodes[2].id}`),
    ).toHaveAttribute('data-failing', 'false');
    expect(screen.getByText(new RegExp(`Not ready: Instance ${failingNode.name}`))).toBeInTheDocument();

    fireEvent.click(node);
    const panel = await screen.findByRole('region', { name: 'Resource details' });
    expect(await within(panel).findByText('bad class')).toBeInTheDocument();
    expect(getEntityObject).toHaveBeenCalledWith(
      { kind: 'Resource', namespace: 'default', name: claimEntity.metadata.name },
      { apiVersion: failingNode.apiVersion, kind: 'Instance', namespace: undefined, name: failingNode.name },
    );

    await userEvent.click(within(panel).getByRole('tab', { name: 'Events' }));
    expect(await within(panel).findByText('CannotCreateExternalResource')).toBeInTheDocument();
    await userEvent.click(within(panel).getByRole('tab', { name: 'YAML' }));
    expect(await within(panel).findByText(/kind: Instance/)).toBeInTheDocument();
  });

  it('shows the same nodes as a table', async () => {
    await render({ getEntityGraph: async () => failingGraph });
    await screen.findByTestId('resource-graph');
    await userEvent.click(screen.getByRole('button', { name: 'Table view' }));
    expect(await screen.findByText('billing-db-x7k2p-sg')).toBeInTheDocument();
    expect(screen.getAllByLabelText('failing path')).toHaveLength(4);
  });

  it('collapses big graphs by kind and expands a group on click', async () => {
    const graph = bigGraph(40);
    await render({ getEntityGraph: async () => graph });
    const group = await screen.findByText('20 × Object');
    fireEvent.click(group);
    await waitFor(() => expect(screen.queryByText('20 × Object')).not.toBeInTheDocument());
    expect(screen.getByText('assets-0')).toBeInTheDocument();
    expect(screen.getByText('20 × BucketPolicy')).toBeInTheDocument();
  });

  it('shows the error when the graph cannot be built', async () => {
    await render({ getEntityGraph: async () => Promise.reject(new Error('control plane unreachable')) });
    expect((await screen.findAllByText(/control plane unreachable/)).length).toBeGreaterThan(0);
  });

  it('names the unreachable control plane when the backend answers 503', async () => {
    const message =
      'GET /apis/platform.example.org/v1alpha1/namespaces/team-a/databases/billing-db on space/local/platform/ctp-a failed: cannot reach the API server (ECONNREFUSED)';
    server.use(
      http.get('http://localhost:7007/api/upbound/entities/Resource/default/:name/graph', ({ request }) =>
        HttpResponse.json(
          {
            error: { name: 'ServiceUnavailableError', message },
            request: { method: 'GET', url: new URL(request.url).pathname },
            response: { statusCode: 503 },
          },
          { status: 503, statusText: 'Service Unavailable' },
        ),
      ),
    );
    const client = new UpboundClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
      fetchApi: mockApis.fetch(),
    });
    await render(client);
    // In the panel's title, not only in its collapsed details.
    expect(
      await screen.findByText(`Error: Could not read the resource graph: ${message}`),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('resource-graph')).not.toBeInTheDocument();
  });
});
