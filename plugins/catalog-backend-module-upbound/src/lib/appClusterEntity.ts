import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_APP_CLUSTER,
  ENTITY_TYPE_APP_CLUSTER,
  appClusterEntityName,
  type AppClusterSummary,
} from '@upbound-backstage/plugin-upbound-common';
import { locationAnnotations } from './entityRefs';
import type { MappingContext } from './mappingContext';

/**
 * A configured app cluster as a Resource entity that depends on the control planes it is
 * connected to through the MCP Connector (seen from connector claims in those control planes).
 * @public
 */
export function appClusterToEntity(
  cluster: AppClusterSummary,
  connectedControlPlaneRefs: string[],
  ctx: MappingContext,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: appClusterEntityName(cluster.name),
      title: cluster.title ?? cluster.name,
      description: `Kubernetes app cluster ${cluster.name}${
        cluster.clusterId
          ? ` (MCP Connector cluster id ${cluster.clusterId})`
          : ''
      }.`,
      annotations: {
        ...locationAnnotations(ctx.providerName),
        [ANNOTATION_APP_CLUSTER]: cluster.name,
      },
      tags: ['kubernetes'],
    },
    spec: {
      type: ENTITY_TYPE_APP_CLUSTER,
      owner: ctx.defaultOwner,
      ...(connectedControlPlaneRefs.length
        ? { dependsOn: [...new Set(connectedControlPlaneRefs)].sort() }
        : {}),
      ...(ctx.system ? { system: ctx.system } : {}),
    },
  };
}
