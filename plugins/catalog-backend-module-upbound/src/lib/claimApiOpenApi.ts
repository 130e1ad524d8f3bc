import type {
  ClaimApi,
  ClaimApiVersion,
} from '@upbound-backstage/plugin-upbound-common';
import { stringify } from 'yaml';

/** The version whose schema describes the API: the referenceable one, else the first served. */
export function documentedVersion(api: ClaimApi): ClaimApiVersion | undefined {
  return (
    api.versions.find(v => v.name === api.referenceableVersion) ??
    api.versions.find(v => v.referenceable) ??
    api.versions.find(v => v.served)
  );
}

/** The kind users create: the claim kind of a legacy XRD, else the composite kind. */
export function userFacingType(
  api: ClaimApi,
):
  | {
      kind: string;
      plural: string;
      namespaced: boolean;
      type: 'claim' | 'composite';
    }
  | undefined {
  if (api.claimKind && api.claimPlural) {
    return {
      kind: api.claimKind,
      plural: api.claimPlural,
      namespaced: true,
      type: 'claim',
    };
  }
  return {
    kind: api.kind,
    plural: api.plural,
    namespaced: api.scope === 'Namespaced',
    type: 'composite',
  };
}

const OBJECT_META = {
  type: 'object',
  description: 'Standard Kubernetes object metadata.',
  required: ['name'],
  properties: {
    name: { type: 'string' },
    namespace: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

/**
 * An OpenAPI 3.0 document (YAML) for the claim (or namespaced XR) a claim API offers: list and
 * create on its plural, and component schemas for the kind and its list, taken from the XRD's
 * openAPIV3Schema. The API docs plugin renders it.
 * @public
 */
export function claimApiToOpenApi(api: ClaimApi): string {
  const version = documentedVersion(api);
  const facing = userFacingType(api)!;
  const v = version?.name ?? api.referenceableVersion ?? 'v1';
  const apiVersion = `${api.group}/${v}`;
  const schema = (version?.schema ?? {}) as {
    description?: string;
    properties?: Record<string, unknown>;
  };
  const kindSchema: Record<string, unknown> = {
    type: 'object',
    ...(schema.description ? { description: schema.description } : {}),
    required: ['apiVersion', 'kind', 'metadata'],
    properties: {
      apiVersion: { type: 'string', enum: [apiVersion] },
      kind: { type: 'string', enum: [facing.kind] },
      metadata: { $ref: '#/components/schemas/ObjectMeta' },
      ...(schema.properties?.spec ? { spec: schema.properties.spec } : {}),
      ...(schema.properties?.status
        ? { status: schema.properties.status }
        : {}),
    },
  };
  const listKind = `${facing.kind}List`;
  const ref = { $ref: `#/components/schemas/${facing.kind}` };
  const base = facing.namespaced
    ? `/apis/${api.group}/${v}/namespaces/{namespace}/${facing.plural}`
    : `/apis/${api.group}/${v}/${facing.plural}`;
  const nsParam = facing.namespaced
    ? [
        {
          name: 'namespace',
          in: 'path',
          required: true,
          schema: { type: 'string' },
        },
      ]
    : [];
  const doc = {
    openapi: '3.0.3',
    info: {
      title: `${facing.kind} (${apiVersion})`,
      version: v,
      description: `${
        facing.type === 'claim' ? 'Claim' : 'Composite resource'
      } API defined by the CompositeResourceDefinition ${api.name}.${
        version?.deprecated ? ' This version is deprecated.' : ''
      }`,
    },
    paths: {
      [base]: {
        ...(nsParam.length ? { parameters: nsParam } : {}),
        get: {
          operationId: `list${facing.kind}`,
          summary: `List ${facing.plural}`,
          responses: {
            '200': {
              description: 'OK',
              content: {
                'application/json': {
                  schema: { $ref: `#/components/schemas/${listKind}` },
                },
              },
            },
          },
        },
        post: {
          operationId: `create${facing.kind}`,
          summary: `Create a ${facing.kind}`,
          requestBody: {
            required: true,
            content: { 'application/json': { schema: ref } },
          },
          responses: {
            '201': {
              description: 'Created',
              content: { 'application/json': { schema: ref } },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        ObjectMeta: OBJECT_META,
        [facing.kind]: kindSchema,
        [listKind]: {
          type: 'object',
          properties: {
            apiVersion: { type: 'string', enum: [apiVersion] },
            kind: { type: 'string', enum: [listKind] },
            items: { type: 'array', items: ref },
          },
        },
      },
    },
  };
  return stringify(doc, { aliasDuplicateObjects: false });
}
