import { act, screen, waitFor } from '@testing-library/react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { upboundApiRef } from '../../api';
import { gitops } from '../../__fixtures__/claims';
import { ArgoSyncButton } from './ArgoSyncButton';

// The allowed flows (confirm, cancel, failure) are tested through GitOpsCard.test.tsx.
describe('ArgoSyncButton', () => {
  it('is hidden from users without upbound.gitops.sync on the control plane', async () => {
    const asked: string[] = [];
    const syncArgoApplication = jest.fn();
    await renderInTestApp(
      <div data-testid="cell">
        <ArgoSyncButton application={gitops.argocd[0]} controlPlaneId="space/local/platform/dev" />
      </div>,
      {
        apis: [
          [upboundApiRef, { syncArgoApplication }],
          mockApis.permission({
            authorize: request => {
              asked.push(`${request.permission.name} ${request.resourceRef}`);
              return AuthorizeResult.DENY;
            },
          }),
        ],
      },
    );
    await waitFor(() => expect(asked).toEqual(['upbound.gitops.sync space/local/platform/dev']));
    // Let the denied decision render.
    await act(() => new Promise(resolve => setTimeout(resolve, 20)));
    expect(screen.getByTestId('cell')).toBeEmptyDOMElement();
  });
});
