import { createServiceRef } from '@backstage/backend-plugin-api';
import type { UpboundService } from './types';

/**
 * The one Upbound service of a backend: the backend plugin, the catalog module and the scaffolder
 * module all depend on this ref, so they share one inventory, token cache and set of clients.
 * The default factory is registered next to the implementation (see `upboundServiceFactory`).
 * @public
 */
export const upboundServiceRef = createServiceRef<UpboundService>({
  id: 'upbound.service',
  scope: 'root',
});
