import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * Route of the control planes page.
 * @public
 */
export const rootRouteRef = createRouteRef({ id: 'upbound' });
