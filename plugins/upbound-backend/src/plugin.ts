import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { upboundPermissions } from '@upbound-backstage/plugin-upbound-common';
import { upboundServiceRef } from '@upbound-backstage/plugin-upbound-node';
import { createRouter } from './router';

/**
 * The Upbound backend plugin: REST API for control planes, claims, resource graphs, events,
 * connections, GitOps status and day-2 operations, under `/api/upbound`.
 * @public
 */
export const upboundPlugin = createBackendPlugin({
  pluginId: 'upbound',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        upbound: upboundServiceRef,
      },
      async init({ httpRouter, permissionsRegistry, ...deps }) {
        permissionsRegistry.addPermissions(upboundPermissions);
        httpRouter.use(await createRouter(deps));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
