import { useMemo } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import { upboundApiRef } from '../../api';
import { toCompoundRef } from '../../lib/entityRef';
import { errorMessage } from '../../lib/errorMessage';
import { originObjectTitle } from '../../lib/gitops';
import { ClusterErrorsPanel } from '../ClusterErrorsPanel';
import { DeliveryTimeline } from './DeliveryTimeline';

/**
 * Delivery timeline of a claim or XR entity: the Git revision the GitOps engine applied, the
 * claim, its composite and its managed resources, each with its state and time, so a user sees
 * where a change is stuck. A claim no engine applied shows the Crossplane steps only.
 * @public
 */
export function EntityClaimDeliveryCard() {
  const { entity } = useEntity();
  const entityRef = useMemo(() => toCompoundRef(entity), [entity]);
  const api = useApi(upboundApiRef);
  const state = useAsyncRetry(
    () => api.getEntityDelivery(entityRef),
    [api, entityRef],
  );

  let subheader: string | undefined;
  let content;
  if (state.loading && !state.value) {
    content = <Progress />;
  } else if (state.error) {
    content = (
      <ResponseErrorPanel
        error={state.error}
        title={`Could not read the delivery of this claim: ${errorMessage(
          state.error,
        )}`}
      />
    );
  } else if (state.value) {
    const { origin, steps, errors } = state.value;
    subheader = origin
      ? `From Git to Ready resources, applied by ${originObjectTitle(origin)}`
      : 'No GitOps engine applied this claim: it carries no Argo CD or Flux mark';
    content = (
      <>
        <ClusterErrorsPanel errors={errors} subject="GitOps clusters" />
        {steps.length ? (
          <DeliveryTimeline steps={steps} />
        ) : (
          <EmptyState
            missing="data"
            title="No delivery steps"
            description="The backend reported no steps for this claim."
          />
        )}
        {!origin && (
          <Typography variant="body2" color="textSecondary">
            Claims that Argo CD or Flux apply also show the Git revision and the
            engine's sync here.
          </Typography>
        )}
      </>
    );
  }

  return (
    <InfoCard
      title="Delivery"
      subheader={subheader}
      action={
        <IconButton
          aria-label="Refresh delivery"
          onClick={state.retry}
          disabled={state.loading}
        >
          <RefreshIcon />
        </IconButton>
      }
    >
      {content}
    </InfoCard>
  );
}
