import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  ANNOTATION_CLAIM_TYPE_ERRORS,
  ANNOTATION_CONTROL_PLANE,
  ANNOTATION_CONTROL_PLANE_ID,
  ANNOTATION_STALE,
  claimTypeLabel,
  parseClaimTypeErrors,
} from '@upbound-backstage/plugin-upbound-common';
import { upboundApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';
import { relativeTime } from '../../lib/time';
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
  const details = useAsyncRetry(
    async () => (id ? api.getControlPlane(id) : undefined),
    [api, id],
  );

  if (!id)
    return (
      <MissingAnnotationEmptyState annotation={ANNOTATION_CONTROL_PLANE_ID} />
    );
  // Shown whatever the live read gives: the catalog's copy is what other pages still show.
  const stale = entity.metadata.annotations?.[ANNOTATION_STALE] ? (
    <Grid item xs={12}>
      <StaleEntityWarning
        entity={entity}
        controlPlaneName={details.value?.name}
      />
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
            title={`Could not read control plane ${
              entity.metadata.annotations?.[ANNOTATION_CONTROL_PLANE] ?? id
            }: ${errorMessage(details.error)}`}
          />
        </Grid>
      </Grid>
    );
  }
  const cp = details.value;
  if (!cp) return null;
  const failingTypes = parseClaimTypeErrors(
    entity.metadata.annotations?.[ANNOTATION_CLAIM_TYPE_ERRORS],
  );
  const typeErrors = failingTypes.length ? (
    <Grid item xs={12}>
      <WarningPanel
        severity="warning"
        title={`The catalog could not list ${
          failingTypes.length === 1
            ? 'one claim type'
            : `${failingTypes.length} claim types`
        } of ${cp.name}: ${failingTypes.map(claimTypeLabel).join(', ')}`}
        message="Their catalog entities show the last known state; every other claim type is current. Grant the configured token list and watch on these types, or fix the XRD if its CRD is missing; the next full sync picks them up."
      >
        {failingTypes.map(e => (
          <Typography key={`${e.group}/${e.kind}`} variant="body2">
            <b>{claimTypeLabel(e)}</b> ({e.type}
            {e.statusCode ? ` ${e.statusCode}` : ''}, since{' '}
            {relativeTime(e.since) ?? e.since}): {e.message}
          </Typography>
        ))}
      </WarningPanel>
    </Grid>
  ) : null;

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
      {typeErrors}
      {/* Side by side only where both fit: the claim APIs table needs its width for the status. */}
      <Grid item xs={12} xl={4}>
        <InfoCard title="Control plane">
          <StructuredMetadataTable
            metadata={{
              Ready: (
                <ConditionStatus
                  type="Ready"
                  condition={cp.ready}
                  showMessage
                  hideType
                />
              ),
              Healthy: cp.healthy ? (
                <ConditionStatus
                  type="Healthy"
                  condition={cp.healthy}
                  showMessage
                  unknownAsWarning
                  hideType
                />
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
      <Grid item xs={12} xl={8}>
        <ClaimApisTable
          claimApis={cp.claimApis}
          error={cp.error?.type}
        />
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
