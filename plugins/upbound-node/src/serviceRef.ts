import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import type { UpboundService } from './types';
import { createUpboundServiceFactoryOptions } from './service/factoryOptions';

/**
 * The one Upbound service of a backend: the backend plugin, the catalog module and the scaffolder
 * module all depend on this ref, so they share one inventory, token cache and set of clients.
 * Its default factory reads the `upbound` config and runs discovery on a timer; see
 * `upboundServiceFactory`.
 * @public
 */
export const upboundServiceRef = createServiceRef<UpboundService>({
  id: 'upbound.service',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory(createUpboundServiceFactoryOptions(service)),
});
