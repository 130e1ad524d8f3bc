import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { upboundServiceRef } from '@upbound-backstage/plugin-upbound-node';
import { UpboundStatusProcessor } from './processors/UpboundStatusProcessor';
import { readUpboundProviderConfig } from './providers/config';
import { UpboundEntityProvider } from './providers/UpboundEntityProvider';

/**
 * Catalog module that adds the Upbound entity provider (control planes, claim APIs, claims,
 * namespaced XRs, app clusters and optional claim templates).
 * @public
 */
export const catalogModuleUpbound = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'upbound',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        auth: coreServices.auth,
        catalogApi: catalogServiceRef,
        upbound: upboundServiceRef,
      },
      async init({
        catalog,
        config,
        logger,
        scheduler,
        lifecycle,
        auth,
        catalogApi,
        upbound,
      }) {
        const providers = UpboundEntityProvider.fromConfig(
          readUpboundProviderConfig(config),
          {
            logger,
            scheduler,
            upbound,
            catalog: catalogApi,
            auth,
          },
        );
        catalog.addEntityProvider(providers);
        if (providers.length)
          catalog.addProcessor(new UpboundStatusProcessor());
        lifecycle.addShutdownHook(async () => {
          await Promise.all(providers.map(p => p.stop()));
        });
      },
    });
  },
});
