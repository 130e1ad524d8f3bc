import type { FieldExtensionOptions } from '@backstage/plugin-scaffolder-react';
import { AppClusterPicker } from './AppClusterPicker';
import { ClaimApiPicker } from './ClaimApiPicker';
import { ControlPlanePicker } from './ControlPlanePicker';
import { validateClaimApi } from './validation';

/** Names the templates use in `ui:field`. */
export const CONTROL_PLANE_PICKER = 'UpboundControlPlanePicker';
export const CLAIM_API_PICKER = 'UpboundClaimApiPicker';
export const APP_CLUSTER_PICKER = 'UpboundAppClusterPicker';

/** The three field definitions, shared by the legacy and the new frontend system. */
export const fieldOptions = {
  controlPlane: {
    name: CONTROL_PLANE_PICKER,
    component: ControlPlanePicker,
    schema: { returnValue: { type: 'string' } },
  },
  claimApi: {
    name: CLAIM_API_PICKER,
    component: ClaimApiPicker,
    validation: validateClaimApi,
    schema: {
      returnValue: {
        type: 'object',
        required: ['apiVersion', 'kind'],
        properties: { apiVersion: { type: 'string' }, kind: { type: 'string' } },
      },
      uiOptions: {
        type: 'object',
        properties: {
          controlPlaneField: {
            type: 'string',
            description: 'Sibling field that holds the control plane id (default controlPlane)',
          },
        },
      },
    },
  },
  appCluster: {
    name: APP_CLUSTER_PICKER,
    component: AppClusterPicker,
    schema: { returnValue: { type: 'string' } },
  },
} satisfies Record<string, FieldExtensionOptions<any, any>>;
