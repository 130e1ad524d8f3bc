import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { upboundApiRef, UpboundApi } from '../../api';
import { claimApis, controlPlaneList } from '../../__fixtures__/controlPlanes';
import { AppClusterPicker, ClaimApiPicker, ControlPlanePicker, validateClaimApi } from '.';

function baseProps(overrides: Record<string, unknown> = {}): any {
  return {
    onChange: jest.fn(),
    required: true,
    rawErrors: [],
    schema: {},
    uiSchema: {},
    idSchema: { $id: 'root_field' },
    formContext: { formData: {} },
    ...overrides,
  };
}

describe('scaffolder fields', () => {
  it('ControlPlanePicker stores the control plane id and disables unreachable ones', async () => {
    const props = baseProps();
    const api: Partial<UpboundApi> = { listControlPlanes: async () => controlPlaneList };
    await renderInTestApp(<ControlPlanePicker {...props} />, { apis: [[upboundApiRef, api]] });
    await userEvent.click(screen.getByLabelText(/Control plane/));
    const listbox = await screen.findByRole('listbox');
    expect(within(listbox).getByText(/oss-lab \(direct\) — unreachable/).closest('li')).toHaveAttribute(
      'aria-disabled',
      'true',
    );
    await userEvent.click(within(listbox).getByText('local/platform/ctp-a'));
    expect(props.onChange).toHaveBeenCalledWith('space/local/platform/ctp-a');
  });

  it('ClaimApiPicker lists the sibling control plane’s APIs and shows the spec schema', async () => {
    const listClaimApis = jest.fn(async () => ({ items: claimApis }));
    const props = baseProps({
      uiSchema: { 'ui:options': { controlPlaneField: 'mcp' } },
      formContext: { formData: { mcp: 'space/local/platform/ctp-a' } },
      formData: { apiVersion: 'platform.example.org/v1alpha1', kind: 'Database' },
    });
    await renderInTestApp(<ClaimApiPicker {...props} />, { apis: [[upboundApiRef, { listClaimApis }]] });
    expect(await screen.findByText('Claim Database of XDatabase · default composition database-aws')).toBeInTheDocument();
    expect(listClaimApis).toHaveBeenCalledWith('space/local/platform/ctp-a');
    const table = screen.getByRole('table', { name: 'Spec fields' });
    expect(within(table).getByText('engine')).toBeInTheDocument();
    expect(within(table).getByText('string: postgres | mysql')).toBeInTheDocument();
    expect(within(table).getByText(/default 20/)).toBeInTheDocument();

    await userEvent.click(screen.getByLabelText(/Claim API/));
    await userEvent.click(within(screen.getByRole('listbox')).getByText('Bucket (storage.example.org/v1)'));
    expect(props.onChange).toHaveBeenCalledWith({ apiVersion: 'storage.example.org/v1', kind: 'Bucket' });
  });

  it('ClaimApiPicker shows claim APIs whose XRD is not Established or not Offered, with the reason, but does not offer them', async () => {
    const [database, bucket] = claimApis;
    const listClaimApis = jest.fn(async () => ({
      items: [
        { ...database, established: { state: 'True' as const }, offered: { state: 'False' as const, reason: 'WatchingClaim' } },
        { ...bucket, established: { state: 'False' as const, reason: 'ReconcileError', message: 'cannot apply CRD' } },
      ],
    }));
    const props = baseProps({ formContext: { formData: { controlPlane: 'space/local/platform/ctp-a' } } });
    await renderInTestApp(<ClaimApiPicker {...props} />, { apis: [[upboundApiRef, { listClaimApis }]] });
    await waitFor(() => expect(listClaimApis).toHaveBeenCalled());
    await userEvent.click(await screen.findByLabelText(/Claim API/));
    const listbox = await screen.findByRole('listbox');
    const notOffered = within(listbox).getByText(/Database .* is not Offered \(WatchingClaim\)/);
    expect(notOffered.closest('li')).toHaveAttribute('aria-disabled', 'true');
    const notEstablished = within(listbox).getByText(/Bucket .* is not Established \(ReconcileError: cannot apply CRD\)/);
    expect(notEstablished.closest('li')).toHaveAttribute('aria-disabled', 'true');
    expect(props.onChange).not.toHaveBeenCalled();
  });

  it('ClaimApiPicker asks for a control plane first', async () => {
    await renderInTestApp(<ClaimApiPicker {...baseProps()} />, { apis: [[upboundApiRef, {}]] });
    expect(screen.getByText('Choose a control plane first.')).toBeInTheDocument();
  });

  it('AppClusterPicker stores the cluster name', async () => {
    const props = baseProps();
    const api: Partial<UpboundApi> = {
      listAppClusters: async () => ({ items: [{ name: 'app-east', title: 'App East', source: 'upbound' }] }),
    };
    await renderInTestApp(<AppClusterPicker {...props} />, { apis: [[upboundApiRef, api]] });
    await waitFor(() => expect(screen.getByLabelText(/App cluster/)).not.toHaveAttribute('aria-disabled'));
    await userEvent.click(screen.getByLabelText(/App cluster/));
    await userEvent.click(within(screen.getByRole('listbox')).getByText('App East'));
    expect(props.onChange).toHaveBeenCalledWith('app-east');
  });

  it('validateClaimApi rejects a half-filled value', () => {
    const addError = jest.fn();
    validateClaimApi({ apiVersion: 'x/v1', kind: '' }, { addError } as any, {} as any);
    expect(addError).toHaveBeenCalledWith('Choose a claim API');
  });
});
