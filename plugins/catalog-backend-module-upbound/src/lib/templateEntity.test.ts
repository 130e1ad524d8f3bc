import { bucketApi, mappingContext, postgresApi } from '../__fixtures__';
import { claimApiToTemplate } from './templateEntity';

describe('claimApiToTemplate', () => {
  const ctx = { ...mappingContext(), templateNamespace: 'apps' };

  it('builds a form from the XRD spec schema and a claim:create step', () => {
    const t = claimApiToTemplate(
      postgresApi,
      ['space/local/platform/ctp-b', 'space/local/platform/ctp-a'],
      ctx,
    )!;
    expect(t.kind).toBe('Template');
    expect(t.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
    const [where, params] = t.spec!.parameters as any[];
    expect(where.properties.controlPlane).toMatchObject({
      enum: ['space/local/platform/ctp-a', 'space/local/platform/ctp-b'],
      default: 'space/local/platform/ctp-a',
      'ui:field': 'UpboundControlPlanePicker',
    });
    expect(where.properties.namespace.default).toBe('apps');
    const spec = params.properties.spec;
    expect(spec.required).toEqual(['parameters']);
    expect(spec.properties.parameters.required).toEqual(['storageGB']);
    expect(spec.properties.parameters.properties.version).toEqual({
      type: 'string',
      enum: ['14', '15', '16'],
      default: '16',
    });
    expect(spec.properties.parameters.properties.labels).toEqual({
      type: 'object',
    });
    const [step] = t.spec!.steps as any[];
    expect(step).toMatchObject({
      action: 'upbound:claim:create',
      input: {
        controlPlane: '${{ parameters.controlPlane }}',
        apiVersion: 'platform.example.org/v1alpha1',
        kind: 'PostgreSQLInstance',
        name: '${{ parameters.name }}',
        namespace: '${{ parameters.namespace }}',
        parameters: '${{ parameters.spec }}',
      },
    });
  });

  it('creates namespaced XRs for v2 XRDs and nothing for cluster-scoped ones', () => {
    expect(
      (claimApiToTemplate(bucketApi, ['x'], ctx)!.spec!.steps as any[])[0].input
        .kind,
    ).toBe('Bucket');
    expect(
      claimApiToTemplate({ ...bucketApi, scope: 'Cluster' }, ['x'], ctx),
    ).toBeUndefined();
  });
});
