import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider, entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_CLAIM_TYPE_ERRORS,
  ANNOTATION_NEVER_READ,
  ANNOTATION_STALE,
  ANNOTATION_STALE_REASON,
} from '@upbound-backstage/plugin-upbound-common';
import { upboundApiRef, UpboundApi } from '../../api';
import { controlPlaneEntity } from '../../__fixtures__/entities';
import { claimApis, ctpA } from '../../__fixtures__/controlPlanes';
import { claimList, connections, gitops } from '../../__fixtures__/claims';
import { ClaimApisTable } from '../ClaimApisTable';
import { ClusterErrorsPanel } from '../ClusterErrorsPanel';
import { StaleEntityWarning } from '../StaleEntityWarning';
import { EntityControlPlaneContent } from './EntityControlPlaneContent';

const api: Partial<UpboundApi> = {
  getControlPlane: async () => ({ ...ctpA, claimApis }),
  listClaims: async () => claimList,
  getConnections: async () => connections,
  getGitOpsStatus: async () => gitops,
};

const withAnnotations = (annotations: Record<string, string>) => ({
  ...controlPlaneEntity,
  metadata: {
    ...controlPlaneEntity.metadata,
    annotations: { ...controlPlaneEntity.metadata.annotations, ...annotations },
  },
});

describe('what the pages say when the catalog could not read everything', () => {
  jest.setTimeout(60_000);

  it('names each claim type the catalog could not list, why, and what to do', async () => {
    const entity = withAnnotations({
      [ANNOTATION_CLAIM_TYPE_ERRORS]: JSON.stringify([
        {
          group: 'database.example.org',
          kind: 'PostgreSQLInstance',
          xrd: 'xpostgresqlinstances.database.example.org',
          type: 'forbidden',
          statusCode: 403,
          message: 'forbidden (403): postgresqlinstances is forbidden',
          since: new Date(Date.now() - 3600_000).toISOString(),
        },
      ]),
    });
    await renderInTestApp(
      <EntityProvider entity={entity}>
        <EntityControlPlaneContent />
      </EntityProvider>,
      {
        apis: [[upboundApiRef, api]],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByText(
        /could not list one claim type of ctp-a: PostgreSQLInstance \(database\.example\.org\)/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/Grant the configured token list and watch/)).toBeInTheDocument();
  });

  it('never calls a control plane that was never read a last known state', async () => {
    const entity = withAnnotations({
      [ANNOTATION_STALE]: new Date().toISOString(),
      [ANNOTATION_STALE_REASON]: 'unreachable: connect ECONNREFUSED',
      [ANNOTATION_NEVER_READ]: 'true',
    });
    await renderInTestApp(<StaleEntityWarning entity={entity} />);
    expect(screen.getByText(/and never was: the catalog has none of its claims/)).toBeInTheDocument();
    expect(screen.queryByText(/last known state/)).not.toBeInTheDocument();
  });

  it('says that only one kind is stale when a claim type could not be listed', async () => {
    const entity = withAnnotations({
      [ANNOTATION_STALE]: new Date().toISOString(),
      [ANNOTATION_STALE_REASON]:
        'PostgreSQLInstance (database.example.org) could not be listed: forbidden (403): nope',
    });
    await renderInTestApp(<StaleEntityWarning entity={entity} />);
    expect(
      screen.getByText(/Claims of this kind in control plane .* could not be listed since/),
    ).toBeInTheDocument();
  });

  it('does not say "no claim APIs yet" when they could not be read', async () => {
    await renderInTestApp(<ClaimApisTable claimApis={[]} error="unreachable" />);
    expect(
      screen.getByText(/The claim APIs could not be read \(unreachable\)/),
    ).toBeInTheDocument();
    expect(screen.queryByText(/no claim APIs/)).not.toBeInTheDocument();
  });

  it('names a cluster that failed several reads once', async () => {
    const error = {
      cluster: 'space/local/team-a/prod',
      type: 'unreachable' as const,
      message: 'connect ECONNREFUSED',
    };
    await renderInTestApp(
      <ClusterErrorsPanel errors={[error, error]} subject="control planes or app clusters" />,
    );
    expect(
      screen.getByText(
        'Warning: Some control planes or app clusters could not be read: space/local/team-a/prod',
      ),
    ).toBeInTheDocument();
  });
});
