import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_API_VERSION,
  ANNOTATION_CONTROL_PLANE_ID,
  ANNOTATION_KIND,
  ANNOTATION_NAME,
  ANNOTATION_NAMESPACE,
} from '@upbound-backstage/plugin-upbound-common';

/** A claim entity as the catalog module writes it. */
export const claimEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'ctp-a-team-a-billing-db-1a2b3c4d',
    namespace: 'default',
    title: 'billing-db',
    annotations: {
      [ANNOTATION_CONTROL_PLANE_ID]: 'space/local/platform/ctp-a',
      [ANNOTATION_API_VERSION]: 'platform.example.org/v1alpha1',
      [ANNOTATION_KIND]: 'Database',
      [ANNOTATION_NAMESPACE]: 'team-a',
      [ANNOTATION_NAME]: 'billing-db',
    },
  },
  spec: { type: 'crossplane-claim', owner: 'group:default/team-a' },
};

/** A control plane entity. */
export const controlPlaneEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'local-platform-ctp-a-1a2b3c4d',
    namespace: 'default',
    title: 'ctp-a',
    annotations: { [ANNOTATION_CONTROL_PLANE_ID]: 'space/local/platform/ctp-a' },
  },
  spec: { type: 'upbound-control-plane', owner: 'group:default/platform' },
};
