import type { PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  type BasicPermission,
} from '@backstage/plugin-permission-common';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';

/**
 * Authorizes the user who runs the template (never the plugin's own identity) and throws
 * NotAllowedError naming the permission. Called before any cluster call.
 */
export async function requireUserPermission(
  ctx: Pick<ActionContext<any, any>, 'getInitiatorCredentials'>,
  permissions: PermissionsService,
  permission: BasicPermission,
): Promise<void> {
  const credentials = await ctx.getInitiatorCredentials();
  const [decision] = await permissions.authorize([{ permission }], {
    credentials,
  });
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `You are not allowed to run this action: permission '${permission.name}' was denied`,
    );
  }
}
