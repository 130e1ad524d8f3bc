import { parse } from 'yaml';
import { bucketApi, mappingContext, postgresApi } from '../__fixtures__';
import { claimApiToEntity } from './claimApiEntity';

describe('claimApiToEntity', () => {
  it('generates an OpenAPI 3.0 document of a v1 claim API', () => {
    const e = claimApiToEntity(postgresApi, mappingContext());
    expect(e.kind).toBe('API');
    expect(e.metadata.title).toBe('PostgreSQLInstance (platform.example.org)');
    expect(e.spec).toMatchObject({
      type: 'openapi',
      lifecycle: 'production',
      owner: 'group:default/platform',
    });
    expect(e.metadata.annotations).toMatchObject({
      'upbound.io/xrd': 'xpostgresqlinstances.platform.example.org',
      'upbound.io/api-version': 'platform.example.org/v1alpha1',
      'upbound.io/kind': 'PostgreSQLInstance',
    });
    const doc = parse(e.spec!.definition as string);
    expect(doc.openapi).toBe('3.0.3');
    const path =
      '/apis/platform.example.org/v1alpha1/namespaces/{namespace}/postgresqlinstances';
    expect(Object.keys(doc.paths)).toEqual([path]);
    expect(
      doc.paths[path].get.responses['200'].content['application/json'].schema
        .$ref,
    ).toBe('#/components/schemas/PostgreSQLInstanceList');
    expect(
      doc.paths[path].post.requestBody.content['application/json'].schema.$ref,
    ).toBe('#/components/schemas/PostgreSQLInstance');
    const schema = doc.components.schemas.PostgreSQLInstance;
    expect(schema.description).toBe('A PostgreSQL database instance.');
    expect(schema.properties.kind.enum).toEqual(['PostgreSQLInstance']);
    expect(
      schema.properties.spec.properties.parameters.properties.storageGB,
    ).toEqual({
      type: 'integer',
      description: 'Disk size in GB.',
      default: 20,
      minimum: 10,
    });
    expect(schema.properties.status.properties.address.type).toBe('string');
  });

  it('documents a v2 namespaced XR under its own kind', () => {
    const doc = parse(
      claimApiToEntity(bucketApi, mappingContext()).spec!.definition as string,
    );
    expect(Object.keys(doc.paths)).toEqual([
      '/apis/storage.example.org/v1beta1/namespaces/{namespace}/buckets',
    ]);
    expect(
      doc.components.schemas.Bucket.properties.spec.properties.region
        .description,
    ).toBe('Region of the bucket.');
  });

  it('documents cluster-scoped XRs without a namespace and marks deprecated versions', () => {
    const api = {
      ...bucketApi,
      scope: 'Cluster',
      versions: bucketApi.versions.map(v => ({ ...v, deprecated: true })),
    };
    const e = claimApiToEntity(api, mappingContext());
    expect(e.spec?.lifecycle).toBe('deprecated');
    expect(Object.keys(parse(e.spec!.definition as string).paths)).toEqual([
      '/apis/storage.example.org/v1beta1/buckets',
    ]);
  });
});
