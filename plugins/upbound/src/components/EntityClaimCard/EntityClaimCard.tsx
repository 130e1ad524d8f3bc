import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Chip from '@material-ui/core/Chip';
import { gitOpsOriginOf } from '@upbound-backstage/plugin-upbound-common';
import { upboundApiRef } from '../../api';
import { toCompoundRef } from '../../lib/entityRef';
import { errorMessage } from '../../lib/errorMessage';
import { age } from '../../lib/time';
import { ClaimDay2Actions } from '../ClaimDay2Actions';
import { ConditionStatus } from '../ConditionStatus';
import { StaleEntityWarning } from '../StaleEntityWarning';
import { claimStatus } from './claimStatus';
import { provenanceRows } from './ClaimProvenance';

/**
 * Status card of a claim or XR entity: Ready and Synced with reason and message, composition,
 * connection secret, age, control plane, the GitOps object that applied it (with repository,
 * path, revision and sync state), and the day-2 operations the user may run. Warns when the
 * catalog shows the last known state of a control plane that cannot be read.
 * @public
 */
export function EntityClaimCard() {
  const { entity } = useEntity();
  const entityRef = useMemo(() => toCompoundRef(entity), [entity]);
  const api = useApi(upboundApiRef);
  const state = useAsyncRetry(async () => {
    const [target, object] = await Promise.all([
      api.getEntityTarget(entityRef),
      api.getEntityObject(entityRef),
    ]);
    const metadata = (object.object as { metadata?: Parameters<typeof gitOpsOriginOf>[0] }).metadata;
    return { target, status: claimStatus(object.object), origin: gitOpsOriginOf(metadata ?? {}) };
  }, [api, entityRef]);
  // Only a claim that an engine applied has a GitOps object to read; the card does not wait for it.
  const origin = state.value?.origin;
  const delivery = useAsync(
    async () => (origin ? api.getEntityDelivery(entityRef) : undefined),
    [api, entityRef, state.value],
  );

  let content;
  if (state.loading && !state.value) content = <Progress />;
  else if (state.error) {
    content = (
      <ResponseErrorPanel
        error={state.error}
        title={`Could not read the Crossplane status: ${errorMessage(state.error)}`}
      />
    );
  }
  else if (state.value) {
    const { target, status } = state.value;
    const metadata: Record<string, unknown> = {
      Ready: <ConditionStatus type="Ready" condition={status.ready} showMessage hideType />,
      Synced: <ConditionStatus type="Synced" condition={status.synced} showMessage hideType />,
      Kind: `${target.kind} (${target.apiVersion})`,
      Name: target.namespace ? `${target.namespace}/${target.name}` : target.name,
      'Control plane': target.controlPlane.group
        ? `${target.controlPlane.space}/${target.controlPlane.group}/${target.controlPlane.name}`
        : target.controlPlane.name,
      Composition: status.compositionName ?? '–',
      'Composite resource': status.resourceRef
        ? `${status.resourceRef.kind} ${status.resourceRef.name}`
        : undefined,
      'Connection secret': status.connectionSecretName ?? '–',
      Age: age(status.createdAt) || '–',
      ...(origin ? provenanceRows(origin, delivery) : {}),
      Reconciliation: status.paused ? (
        <Chip size="small" label="Paused" style={{ backgroundColor: '#ed6c02', color: '#fff' }} />
      ) : (
        'Active'
      ),
    };
    if (!metadata['Composite resource']) delete metadata['Composite resource'];
    content = <StructuredMetadataTable metadata={metadata} />;
  }

  return (
    <InfoCard
      title="Crossplane status"
      // In the footer: the card sits in a narrow column, where header buttons squeeze the title.
      actions={
        state.value ? (
          <ClaimDay2Actions
            entityRef={entityRef}
            paused={state.value.status.paused}
            gitops={state.value.origin}
            onDone={state.retry}
          />
        ) : undefined
      }
    >
      <StaleEntityWarning entity={entity} />
      {content}
    </InfoCard>
  );
}
