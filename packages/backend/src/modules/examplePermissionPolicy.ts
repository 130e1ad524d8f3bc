import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';

/**
 * The example app's policy: everything is allowed, except that the users listed in
 * `permission.exampleDeniedUsers` get no Upbound permission (the end-to-end tests sign in as one).
 * A real portal replaces this with its own policy; see SECURITY.md and the upbound-backend README
 * for the conditions it can use.
 */
class ExamplePolicy implements PermissionPolicy {
  constructor(private readonly deniedUsers: Set<string>) {}

  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    const ref = (user?.credentials.principal as { userEntityRef?: string } | undefined)?.userEntityRef;
    if (ref && this.deniedUsers.has(ref) && request.permission.name.startsWith('upbound.')) {
      return { result: AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

/** Installs {@link ExamplePolicy}. */
export const examplePermissionPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'example-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        const denied = config.getOptionalStringArray('permission.exampleDeniedUsers') ?? [];
        policy.setPolicy(new ExamplePolicy(new Set(denied)));
      },
    });
  },
});
