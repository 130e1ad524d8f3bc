import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { upboundServiceRef } from '@upbound-backstage/plugin-upbound-node';
import {
  createArgoCdConnectAction,
  createClaimCreateAction,
  createConnectorInstallAction,
  createConnectorUninstallAction,
  createControlPlaneKubeconfigAction,
  createFluxConnectAction,
} from './actions';

/**
 * Registers the `upbound:*` scaffolder actions.
 * @public
 */
export const scaffolderModuleUpbound = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'upbound',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        permissions: coreServices.permissions,
        upbound: upboundServiceRef,
        logger: coreServices.logger,
      },
      async init({ scaffolder, permissions, upbound, logger }) {
        const options = { upbound, permissions };
        scaffolder.addActions(
          createClaimCreateAction(options),
          createConnectorInstallAction(options),
          createConnectorUninstallAction(options),
          createArgoCdConnectAction(options),
          createFluxConnectAction(options),
          createControlPlaneKubeconfigAction(options),
        );
        logger.debug('Registered the upbound:* scaffolder actions');
      },
    });
  },
});
