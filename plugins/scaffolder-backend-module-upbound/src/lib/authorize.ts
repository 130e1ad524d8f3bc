import type { PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import { controlPlaneResourceRef } from '@upbound-backstage/plugin-upbound-common';
import {
  controlPlaneDecisionAllows,
  type UpboundControlPlaneResource,
} from '@upbound-backstage/plugin-upbound-node';

/**
 * Authorizes the user who runs the template (never the plugin's own identity) for a control plane
 * permission and throws NotAllowedError naming it. An unconditional denial answers before any
 * lookup or cluster call; a conditional decision (per control plane, Space, group, namespace or
 * owner; see `upboundControlPlaneConditions`) is applied to the target the action resolves.
 */
export async function requireControlPlanePermission(
  ctx: Pick<ActionContext<any, any>, 'getInitiatorCredentials'>,
  permissions: PermissionsService,
  permission: ResourcePermission<'upbound-control-plane'>,
  target: () => Promise<UpboundControlPlaneResource>,
): Promise<void> {
  const credentials = await ctx.getInitiatorCredentials();
  const [decision] = await permissions.authorizeConditional([{ permission }], {
    credentials,
  });
  if (decision.result === AuthorizeResult.ALLOW) return;
  if (decision.result === AuthorizeResult.DENY) {
    throw new NotAllowedError(
      `You are not allowed to run this action: permission '${permission.name}' was denied`,
    );
  }
  const resource = await target();
  if (!controlPlaneDecisionAllows(decision, resource)) {
    throw new NotAllowedError(
      `You are not allowed to run this action: permission '${permission.name}' was denied for ${controlPlaneResourceRef(
        resource.id,
        resource.namespace,
      )}`,
    );
  }
}
