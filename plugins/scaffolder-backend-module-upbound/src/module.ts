import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  readCredentialHandoffConfig,
  readOwnerConfig,
  upboundServiceRef,
} from '@upbound-backstage/plugin-upbound-node';
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
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, permissions, upbound, logger, config }) {
        // Which credentials actions may hand out; read once, so bad entries fail at startup.
        const handoff = readCredentialHandoffConfig(config);
        if (handoff.dangerouslyUseServiceCredential) {
          logger.warn(
            "upbound.dangerouslyUseServiceCredential is on: actions given no credential hand out the backend's own (development only)",
          );
        }
        // The owner key claim:create writes is the one the catalog reads (upbound.owners).
        const { owners } = readOwnerConfig(config);
        const options = { upbound, permissions, handoff, owners };
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
