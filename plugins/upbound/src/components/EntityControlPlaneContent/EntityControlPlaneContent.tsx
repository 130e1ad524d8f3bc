import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { MissingAnnotationEmptyState, useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import {
  ANNOTATION_CONTROL_PLANE,
  ANNOTATION_CONTROL_PLANE_ID,
  ANNOTATION_STALE,
} from '@upbound-backstage/plugin-upbound-common';
import { upboundApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';
import { ClaimApisTable } from '../ClaimApisTable';
import { ClaimsTable } from '../ClaimsTable';
import { ConditionStatus } from '../ConditionStatus';
import { ConnectionsCard } from '../ConnectionsCard';
import { GitOpsCard } from '../GitOpsCard';
import { StaleEntityWarning } from '../StaleEntityWarning';

/**
 * Everything about one control plane entity: status, claim APIs, claims, connected app
 * clusters and GitOps syncs. Warns when the catalog shows the last known state because the
 * control plane cannot be read.
 * @public
 */
export function EntityControlPlaneContent() {
  const { entity } = useEntity();
  const id = entity.metadata.annotations?.[ANNOTATION_CONTROL_PLANE_ID];
  const api = useApi(upboundApiRef);
  const details = useAsyncRetry(async () => (id ? api.getControlPlane(id) : undefined), [api, id]);

  if (!id) return <MissingAnnotationEmptyState annotation={ANNOTATION_CONTROL_PLANE_ID} />;
  // Shown whatever the live read gives: the catalog's copy is what other pages still show.
  const stale = entity.metadata.annotations?.[ANNOTATION_STALE] ? (
    <Grid item xs={12}>
      <StaleEntityWarning entity={entity} controlPlaneName={details.value?.name} />
    </Grid>
  ) : null;
  if (details.loading && !details.value) {
    return stale ? (
      <Grid container spacing={3}>
        {stale}
        <Grid item xs={12}>
          <Progress />
        </Grid>
      </Grid>
    ) : (
      <Progress />
    );
  }
  if (details.error) {
    return (
      <Grid container spacing={3}>
        {stale}
        <Grid item xs={12}>
          <ResponseErrorPanel
            error={details.error}
            title={`Could not read control plane ${entity.metadata.annotations?.[ANNOTATION_CONTROL_PLANE] ?? id}: ${errorMessage(details.error)}`}
          />
        </Grid>
      </Grid>
    );
  }
  const cp = details.value;
  if (!cp) return null;

  return (
    <Grid container spacing={3}>
      {stale}
      {cp.error && (
        <Grid item xs={12}>
          <WarningPanel
            severity="error"
            title={`Control plane ${cp.name} is unreachable (${cp.error.type})`}
            message={cp.error.message}
          />
        </Grid>
      )}
      <Grid item xs={12} md={4}>
        <InfoCard title="Control plane">
          <StructuredMetadataTable
            metadata={{
              Ready: <ConditionStatus type="Ready" condition={cp.ready} showMessage hideType />,
              Healthy: cp.healthy ? (
                <ConditionStatus type="Healthy" condition={cp.healthy} showMessage unknownAsWarning hideType />
              ) : (
                '–'
              ),
              Space: cp.space ?? (cp.source === 'direct' ? 'direct' : '–'),
              Group: cp.group ?? '–',
              Crossplane: cp.crossplaneVersion ?? '–',
              Claims: cp.counts
                ? `${cp.counts.claimCount} (${cp.counts.failingClaimCount} failing)`
                : '–',
              'App clusters': cp.counts?.appClusterCount ?? '–',
            }}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={8}>
        <ClaimApisTable claimApis={cp.claimApis} />
      </Grid>
      {!cp.error && (
        <>
          <Grid item xs={12}>
            <ClaimsTable controlPlane={cp} claimApis={cp.claimApis} />
          </Grid>
          <Grid item xs={12}>
            <ConnectionsCard controlPlaneId={cp.id} />
          </Grid>
          <Grid item xs={12}>
            <GitOpsCard controlPlaneId={cp.id} />
          </Grid>
        </>
      )}
    </Grid>
  );
}
