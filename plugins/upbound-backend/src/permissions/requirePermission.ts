import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  isResourcePermission,
  type Permission,
} from '@backstage/plugin-permission-common';

/**
 * Authorizes the calling user and throws NotAllowedError unless allowed.
 *
 * With `resourceRef`, a resource permission is evaluated against that resource. A resource
 * permission without `resourceRef` is evaluated in its basic form: only an unconditional ALLOW
 * passes, since there is no resource to apply conditions to.
 * @public
 */
export async function requirePermission(options: {
  permissions: PermissionsService;
  credentials: BackstageCredentials;
  permission: Permission;
  resourceRef?: string;
}): Promise<void> {
  const { permissions, credentials, permission, resourceRef } = options;
  let result: AuthorizeResult;
  if (isResourcePermission(permission)) {
    if (resourceRef) {
      [{ result }] = await permissions.authorize(
        [{ permission, resourceRef }],
        {
          credentials,
        },
      );
    } else {
      [{ result }] = await permissions.authorizeConditional([{ permission }], {
        credentials,
      });
    }
  } else {
    [{ result }] = await permissions.authorize([{ permission }], {
      credentials,
    });
  }
  if (result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(`Not allowed: ${permission.name}`);
  }
}
