import { createServiceFactory } from '@backstage/backend-plugin-api';
import { upboundServiceRef } from '../serviceRef';
import { createUpboundServiceFactoryOptions } from './factoryOptions';

/**
 * The service factory of {@link upboundServiceRef}. It is also the ref's default factory, so
 * installing the backend plugin or a module is enough; add this explicitly only to replace it.
 * @public
 */
export const upboundServiceFactory = createServiceFactory(
  createUpboundServiceFactoryOptions(upboundServiceRef),
);
