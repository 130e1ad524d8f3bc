import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { claimApis } from '../../__fixtures__/controlPlanes';
import { ClaimApisTable } from './ClaimApisTable';

describe('ClaimApisTable', () => {
  it('shows an XRD that is not Established, and a claim that is not Offered, as such', async () => {
    const [database, bucket] = claimApis;
    await renderInTestApp(
      <ClaimApisTable
        claimApis={[
          { ...database, established: { state: 'True' }, offered: { state: 'False', reason: 'WatchingClaim' } },
          { ...bucket, established: { state: 'False', reason: 'ReconcileError' } },
        ]}
      />,
    );
    expect(await screen.findByText('Offered: WatchingClaim')).toBeInTheDocument();
    expect(screen.getByText('Established: ReconcileError')).toBeInTheDocument();
    expect(screen.queryByText('Established')).not.toBeInTheDocument();
  });
});
