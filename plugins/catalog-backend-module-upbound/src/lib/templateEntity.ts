import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_API_VERSION,
  ANNOTATION_KIND,
  ANNOTATION_XRD,
  toEntityName,
  type ClaimApi,
} from '@upbound-backstage/plugin-upbound-common';
import { documentedVersion, userFacingType } from './claimApiOpenApi';
import { claimApiEntityRef, locationAnnotations } from './entityRefs';
import type { MappingContext } from './mappingContext';
import { indefiniteArticle } from './titles';

/** JSON Schema keywords the scaffolder form understands; the rest (x-kubernetes-*, nullable) is dropped. */
const FORM_KEYWORDS = new Set([
  'type',
  'title',
  'description',
  'enum',
  'default',
  'format',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'required',
]);

/** Converts an openAPIV3Schema node into a scaffolder form (JSON Schema) node. */
export function toFormSchema(node: unknown): Record<string, unknown> {
  if (!node || typeof node !== 'object') return {};
  const src = node as Record<string, any>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(src)) {
    if (FORM_KEYWORDS.has(k)) out[k] = v;
  }
  if (src.properties && typeof src.properties === 'object') {
    out.properties = Object.fromEntries(
      Object.entries(src.properties).map(([k, v]) => [k, toFormSchema(v)]),
    );
  }
  if (src.items && typeof src.items === 'object')
    out.items = toFormSchema(src.items);
  if (
    src.additionalProperties &&
    typeof src.additionalProperties === 'object'
  ) {
    out.additionalProperties = toFormSchema(src.additionalProperties);
  }
  if (
    !out.type &&
    (src['x-kubernetes-int-or-string'] ||
      src['x-kubernetes-preserve-unknown-fields'])
  ) {
    out.type = src['x-kubernetes-int-or-string'] ? 'string' : 'object';
  }
  return out;
}

/** Name of the Template generated for a claim API. @public */
export function claimTemplateEntityName(
  api: Pick<ClaimApi, 'group' | 'kind' | 'claimKind'>,
): string {
  return toEntityName(['create', api.claimKind ?? api.kind, api.group]);
}

/**
 * A scaffolder Template that creates a claim (or namespaced XR) of a claim API with
 * `upbound:claim:create`. Its form is generated from the XRD's spec schema (required fields,
 * types, enums, defaults, descriptions); the control plane is chosen among those serving the API.
 * Returns undefined for cluster-scoped composites, which users do not create directly.
 * @public
 */
export function claimApiToTemplate(
  api: ClaimApi,
  controlPlaneIds: string[],
  ctx: MappingContext & { templateOwner?: string; templateNamespace: string },
): Entity | undefined {
  const facing = userFacingType(api);
  if (!facing?.namespaced) return undefined;
  const version = documentedVersion(api);
  const apiVersion = `${api.group}/${
    version?.name ?? api.referenceableVersion ?? 'v1'
  }`;
  const specSchema = toFormSchema(
    (version?.schema as { properties?: { spec?: unknown } } | undefined)
      ?.properties?.spec ?? {
      type: 'object',
    },
  );
  const ids = [...controlPlaneIds].sort();
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: claimTemplateEntityName(api),
      title: `Create ${indefiniteArticle(facing.kind)} ${facing.kind}`,
      description: `Creates ${indefiniteArticle(facing.kind)} ${
        facing.kind
      } (${apiVersion}) in a control plane, validated against the XRD ${
        api.name
      }.`,
      annotations: {
        ...locationAnnotations(ctx.providerName),
        [ANNOTATION_XRD]: api.name,
        [ANNOTATION_API_VERSION]: apiVersion,
        [ANNOTATION_KIND]: facing.kind,
      },
      tags: ['upbound', 'crossplane', facing.type],
    },
    spec: {
      type:
        facing.type === 'claim' ? 'crossplane-claim' : 'crossplane-composite',
      owner: ctx.templateOwner ?? ctx.defaultOwner,
      ...(ctx.system ? { system: ctx.system } : {}),
      parameters: [
        {
          title: `Where to create the ${facing.kind}`,
          required: ['controlPlane', 'name', 'namespace'],
          properties: {
            controlPlane: {
              title: 'Control plane',
              type: 'string',
              description: `A control plane serving ${facing.kind}.`,
              enum: ids,
              ...(ids.length ? { default: ids[0] } : {}),
              'ui:field': 'UpboundControlPlanePicker',
            },
            name: {
              title: 'Name',
              type: 'string',
              pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
              maxLength: 63,
            },
            namespace: {
              title: 'Namespace',
              type: 'string',
              default: ctx.templateNamespace,
              pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
              maxLength: 63,
            },
          },
        },
        {
          title: `${facing.kind} parameters`,
          properties: {
            // Nested under `spec` so field names never clash with the fields above.
            spec: { title: 'Spec', ...specSchema, type: 'object' },
          },
        },
      ],
      steps: [
        {
          id: 'create',
          name: `Create the ${facing.kind}`,
          action: 'upbound:claim:create',
          input: {
            controlPlane: '${{ parameters.controlPlane }}',
            apiVersion,
            kind: facing.kind,
            name: '${{ parameters.name }}',
            namespace: '${{ parameters.namespace }}',
            parameters: '${{ parameters.spec }}',
          },
        },
      ],
      output: {
        links: [
          {
            title: 'Open in catalog',
            icon: 'catalog',
            entityRef: '${{ steps.create.output.entityRef }}',
          },
          { title: 'API', icon: 'docs', entityRef: claimApiEntityRef(api) },
        ],
      },
    },
  };
}
