import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_API_VERSION,
  ANNOTATION_KIND,
  ANNOTATION_XRD,
  claimApiEntityName,
  type ClaimApi,
} from '@upbound-backstage/plugin-upbound-common';
import {
  claimApiToOpenApi,
  documentedVersion,
  userFacingType,
} from './claimApiOpenApi';
import { locationAnnotations } from './entityRefs';
import type { MappingContext } from './mappingContext';
import { claimApiTitle } from './titles';

/**
 * A claim API as an API entity of type `openapi`. The API is identified by group and kind, so
 * control planes serving the same XRD share one entity; the definition comes from the first of
 * them (by id) and the relations to all of them come from the control planes' `dependencyOf`.
 * @public
 */
export function claimApiToEntity(api: ClaimApi, ctx: MappingContext): Entity {
  const facing = userFacingType(api)!;
  const version = documentedVersion(api);
  const apiVersion = `${api.group}/${
    version?.name ?? api.referenceableVersion ?? 'v1'
  }`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: {
      name: claimApiEntityName(api),
      title: claimApiTitle(facing.kind, api.group),
      description: `Crossplane ${
        facing.type === 'claim' ? 'claim' : 'composite resource'
      } API ${facing.kind} (${apiVersion}), defined by the XRD ${api.name}.`,
      annotations: {
        ...locationAnnotations(ctx.providerName),
        [ANNOTATION_XRD]: api.name,
        [ANNOTATION_API_VERSION]: apiVersion,
        [ANNOTATION_KIND]: facing.kind,
      },
      tags: ['crossplane', facing.type],
    },
    spec: {
      type: 'openapi',
      lifecycle: version?.deprecated ? 'deprecated' : 'production',
      owner: ctx.defaultOwner,
      definition: claimApiToOpenApi(api),
      ...(ctx.system ? { system: ctx.system } : {}),
    },
  };
}
