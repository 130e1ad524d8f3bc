import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  parseControlPlaneResourceRef,
  upboundControlPlanePermissions,
  upboundPermissions,
} from '@upbound-backstage/plugin-upbound-common';
import {
  toControlPlaneResource,
  upboundControlPlanePermissionResourceRef,
  upboundControlPlanePermissionRules,
  upboundServiceRef,
} from '@upbound-backstage/plugin-upbound-node';
import { registerUpboundActions } from './actions/createUpboundActions';
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
        actionsRegistry: actionsRegistryServiceRef,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
      },
      async init({
        httpRouter,
        permissionsRegistry,
        actionsRegistry,
        auth,
        discovery,
        ...deps
      }) {
        const controlPlanePermissionNames = new Set(
          upboundControlPlanePermissions.map(p => p.name),
        );
        permissionsRegistry.addPermissions(
          upboundPermissions.filter(
            p => !controlPlanePermissionNames.has(p.name),
          ),
        );
        // Conditional decisions on control planes (IS_IN_GROUP, IS_IN_NAMESPACE, ...) can be
        // applied by the permission backend for any plugin that authorizes with a resourceRef.
        permissionsRegistry.addResourceType({
          resourceRef: upboundControlPlanePermissionResourceRef,
          permissions: upboundControlPlanePermissions,
          rules: Object.values(upboundControlPlanePermissionRules),
          getResources: async refs => {
            const { controlPlanes } = await deps.upbound.inventory();
            return refs.map(ref => {
              const { controlPlaneId, namespace } =
                parseControlPlaneResourceRef(ref);
              const cp = controlPlanes.find(c => c.id === controlPlaneId);
              return cp ? toControlPlaneResource(cp, namespace) : undefined;
            });
          },
        });
        httpRouter.use(await createRouter(deps));
        // The same operations for AI agents (the MCP actions backend lists them as tools).
        registerUpboundActions({
          actionsRegistry,
          auth,
          discovery,
          permissions: deps.permissions,
          upbound: deps.upbound,
        });
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
