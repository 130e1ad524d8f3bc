import {
  ApiBlueprint,
  createFrontendModule,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { Content } from '@backstage/core-components';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { createFormField, FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import CloudQueueIcon from '@material-ui/icons/CloudQueue';
import { upboundApiRef, UpboundClient } from './api';
import { fieldOptions } from './components/fields/extensions';
import { isUpboundClaimEntity, isUpboundControlPlaneEntity } from './entityPredicates';
import { rootRouteRef } from './routes';

/** @alpha */
export const upboundApi = ApiBlueprint.make({
  params: define =>
    define({
      api: upboundApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new UpboundClient({ discoveryApi, fetchApi }),
    }),
});

/** The control planes page at `/upbound`, with a nav item. @alpha */
export const upboundControlPlanesPage = PageBlueprint.make({
  params: {
    path: '/upbound',
    title: 'Control Planes',
    icon: <CloudQueueIcon />,
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/ControlPlanesPage').then(m => (
        <Content>
          <m.ControlPlanesContent />
        </Content>
      )),
  },
});

/** Control plane entity tab: claim APIs, claims, connections, GitOps. @alpha */
export const upboundControlPlaneEntityContent = EntityContentBlueprint.make({
  name: 'control-plane',
  params: {
    path: 'upbound',
    title: 'Control Plane',
    filter: isUpboundControlPlaneEntity,
    loader: () =>
      import('./components/EntityControlPlaneContent').then(m => <m.EntityControlPlaneContent />),
  },
});

/** Claim / XR status card on the overview tab (main column: its messages need the width). @alpha */
export const upboundClaimEntityCard = EntityCardBlueprint.make({
  name: 'claim-status',
  params: {
    type: 'content',
    filter: isUpboundClaimEntity,
    loader: () => import('./components/EntityClaimCard').then(m => <m.EntityClaimCard />),
  },
});

/** Claim / XR delivery timeline on the overview tab, under the status card. @alpha */
export const upboundClaimDeliveryEntityCard = EntityCardBlueprint.make({
  name: 'claim-delivery',
  params: {
    type: 'content',
    filter: isUpboundClaimEntity,
    loader: () =>
      import('./components/EntityClaimDeliveryCard').then(m => <m.EntityClaimDeliveryCard />),
  },
});

/** Claim / XR "Resources" tab with the resource graph. @alpha */
export const upboundResourcesEntityContent = EntityContentBlueprint.make({
  name: 'resources',
  params: {
    path: 'resources',
    title: 'Resources',
    filter: isUpboundClaimEntity,
    loader: () =>
      import('./components/EntityResourcesContent').then(m => <m.EntityResourcesContent />),
  },
});

/**
 * The Upbound frontend plugin for the new frontend system.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'upbound',
  title: 'Control Planes',
  icon: <CloudQueueIcon />,
  info: { packageJson: () => import('../package.json') },
  routes: { root: rootRouteRef },
  extensions: [
    upboundApi,
    upboundControlPlanesPage,
    upboundControlPlaneEntityContent,
    upboundClaimEntityCard,
    upboundClaimDeliveryEntityCard,
    upboundResourcesEntityContent,
  ],
});

/**
 * Scaffolder field extensions: UpboundControlPlanePicker, UpboundClaimApiPicker and
 * UpboundAppClusterPicker. Install next to the plugin.
 * @alpha
 */
export const upboundScaffolderFieldsModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [
    FormFieldBlueprint.make({
      name: 'upbound-control-plane-picker',
      params: { field: async () => createFormField(fieldOptions.controlPlane as any) },
    }),
    FormFieldBlueprint.make({
      name: 'upbound-claim-api-picker',
      params: { field: async () => createFormField(fieldOptions.claimApi as any) },
    }),
    FormFieldBlueprint.make({
      name: 'upbound-app-cluster-picker',
      params: { field: async () => createFormField(fieldOptions.appCluster as any) },
    }),
  ],
});
