import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/**
 * A second guest-like sign-in (`/api/auth/e2eUser/...`) for the end-to-end tests, registered only
 * when `auth.providers.e2eUser.userEntityRef` is configured (e2e/app-config.e2e.yaml): the tests
 * sign in as that user to see what a user without permissions sees.
 */
export const e2eUserAuth = createBackendModule({
  pluginId: 'auth',
  moduleId: 'e2e-user-provider',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint, config: coreServices.rootConfig },
      async init({ providers, config }) {
        const userEntityRef = config.getOptionalString('auth.providers.e2eUser.userEntityRef');
        if (!userEntityRef) return;
        providers.registerProvider({
          providerId: 'e2eUser',
          factory: createProxyAuthProviderFactory({
            authenticator: createProxyAuthenticator({
              defaultProfileTransform: async () => ({ profile: {} }),
              initialize: () => undefined,
              authenticate: async () => ({ result: {} }),
            }),
            signInResolver: async (_info, ctx) =>
              ctx.issueToken({ claims: { sub: userEntityRef, ent: [userEntityRef] } }),
          }),
        });
      },
    });
  },
});
