import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { upboundApiRef, UpboundClient } from './api';
import { fieldOptions } from './components/fields/extensions';
import { rootRouteRef } from './routes';

/**
 * The Upbound frontend plugin for apps on the legacy frontend system.
 * @public
 */
export const upboundPlugin = createPlugin({
  id: 'upbound',
  apis: [
    createApiFactory({
      api: upboundApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new UpboundClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/**
 * The control planes page; mount it at a route, e.g. `/upbound`.
 * @public
 */
export const UpboundPage: () => JSX.Element | null = upboundPlugin.provide(
  createRoutableExtension({
    name: 'UpboundPage',
    component: () =>
      import('./components/ControlPlanesPage').then(m => m.ControlPlanesPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * Entity content for control plane entities: claim APIs, claims, connections and GitOps.
 * @public
 */
export const EntityUpboundControlPlaneContent: () => JSX.Element | null =
  upboundPlugin.provide(
    createComponentExtension({
      name: 'EntityUpboundControlPlaneContent',
      component: {
        lazy: () =>
          import('./components/EntityControlPlaneContent').then(
            m => m.EntityControlPlaneContent,
          ),
      },
    }),
  );

/**
 * Status card for claim and composite resource entities, with day-2 operations.
 * @public
 */
export const EntityUpboundClaimCard: () => JSX.Element | null =
  upboundPlugin.provide(
    createComponentExtension({
      name: 'EntityUpboundClaimCard',
      component: {
        lazy: () =>
          import('./components/EntityClaimCard').then(m => m.EntityClaimCard),
      },
    }),
  );

/**
 * Delivery timeline card for claim and composite resource entities: Git revision, claim,
 * composite and managed resources, with where delivery is stuck.
 * @public
 */
export const EntityUpboundClaimDeliveryCard: () => JSX.Element | null =
  upboundPlugin.provide(
    createComponentExtension({
      name: 'EntityUpboundClaimDeliveryCard',
      component: {
        lazy: () =>
          import('./components/EntityClaimDeliveryCard').then(
            m => m.EntityClaimDeliveryCard,
          ),
      },
    }),
  );

/**
 * Entity content with the resource graph of a claim or composite resource.
 * @public
 */
export const EntityUpboundResourcesContent: () => JSX.Element | null =
  upboundPlugin.provide(
    createComponentExtension({
      name: 'EntityUpboundResourcesContent',
      component: {
        lazy: () =>
          import('./components/EntityResourcesContent').then(
            m => m.EntityResourcesContent,
          ),
      },
    }),
  );

/**
 * Scaffolder field `UpboundControlPlanePicker` (value: control plane id).
 * @public
 */
export const UpboundControlPlanePickerFieldExtension = upboundPlugin.provide(
  createScaffolderFieldExtension(fieldOptions.controlPlane),
);

/**
 * Scaffolder field `UpboundClaimApiPicker` (value: `{ apiVersion, kind }`).
 * @public
 */
export const UpboundClaimApiPickerFieldExtension = upboundPlugin.provide(
  createScaffolderFieldExtension(fieldOptions.claimApi),
);

/**
 * Scaffolder field `UpboundAppClusterPicker` (value: app cluster name).
 * @public
 */
export const UpboundAppClusterPickerFieldExtension = upboundPlugin.provide(
  createScaffolderFieldExtension(fieldOptions.appCluster),
);
