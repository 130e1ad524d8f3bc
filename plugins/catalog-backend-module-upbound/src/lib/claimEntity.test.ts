import { isValidEntityName } from '@upbound-backstage/plugin-upbound-common';
import {
  bucketApi,
  controlPlane,
  fixtures,
  mappingContext,
  postgresApi,
} from '../__fixtures__';
import { claimToEntity } from './claimEntity';
import { claimApiEntityRef, controlPlaneEntityRef } from './entityRefs';

describe('claimToEntity', () => {
  const cp = controlPlane();
  const ctx = mappingContext();

  it('maps a v1 claim with coordinates, status, owner, relations and Argo CD annotations', () => {
    const e = claimToEntity(
      cp,
      postgresApi,
      'claim',
      fixtures.claimPostgres,
      ctx,
    )!;
    expect(e.kind).toBe('Resource');
    expect(isValidEntityName(e.metadata.name)).toBe(true);
    expect(e.metadata.title).toBe('team-a/orders-db (ctp-a)');
    expect(e.spec).toEqual({
      type: 'crossplane-claim',
      owner: 'group:default/team-a',
      dependsOn: [controlPlaneEntityRef(cp), claimApiEntityRef(postgresApi)],
    });
    expect(e.metadata.annotations).toMatchObject({
      'upbound.io/control-plane-id': 'space/local/platform/ctp-a',
      'upbound.io/source': 'space',
      'upbound.io/space': 'local',
      'upbound.io/group': 'platform',
      'upbound.io/control-plane': 'ctp-a',
      'upbound.io/api-version': 'platform.example.org/v1alpha1',
      'upbound.io/kind': 'PostgreSQLInstance',
      'upbound.io/namespace': 'team-a',
      'upbound.io/name': 'orders-db',
      'upbound.io/xrd': 'xpostgresqlinstances.platform.example.org',
      'upbound.io/ready': 'False',
      'upbound.io/synced': 'True',
      'upbound.io/status-reason': 'Creating',
      'argocd/app-name': 'orders',
      'backstage.io/managed-by-location': 'upbound:space/local/platform/ctp-a',
      'backstage.io/managed-by-origin-location':
        'upbound:upbound-provider:default',
    });
    expect(e.metadata.annotations).not.toHaveProperty(
      'backstage.io/kubernetes-id',
    );
  });

  it('maps a v2 namespaced XR that came through the MCP Connector', () => {
    const e = claimToEntity(
      cp,
      bucketApi,
      'composite',
      fixtures.xrBucket,
      ctx,
    )!;
    expect(e.spec?.type).toBe('crossplane-composite');
    expect(e.spec?.owner).toBe('group:default/team-web');
    expect(e.metadata.annotations).toMatchObject({
      'upbound.io/kind': 'Bucket',
      'upbound.io/ready': 'True',
      'upbound.io/synced': 'True',
      'upbound.io/app-cluster': 'app-1',
      'upbound.io/app-namespace': 'web',
      'upbound.io/app-name': 'assets',
      'backstage.io/kubernetes-id': 'web-assets',
      'backstage.io/kubernetes-namespace': 'web',
    });
    expect(e.metadata.annotations).not.toHaveProperty(
      'upbound.io/status-reason',
    );
    // Titled by the names the app team knows; the control plane object is the secondary name.
    expect(e.metadata.title).toBe('web/assets (app-1)');
    expect(e.metadata.description).toBe(
      `Bucket web/assets from app cluster app-1, stored as ${fixtures.xrBucket.metadata!.namespace}/${fixtures.xrBucket.metadata!.name} in control plane ctp-a.`,
    );
  });

  it('names the cluster id when the app cluster is not configured', () => {
    const e = claimToEntity(
      cp,
      bucketApi,
      'composite',
      fixtures.xrBucket,
      mappingContext({ appClusters: [] }),
    )!;
    expect(e.metadata.annotations?.['upbound.io/app-cluster']).toBe(
      '00000000-0000-0000-0000-000000000001',
    );
  });

  it('does not change when only the resourceVersion, timestamps or messages change', () => {
    const a = claimToEntity(
      cp,
      postgresApi,
      'claim',
      fixtures.claimPostgres,
      ctx,
    );
    const bumped = structuredClone(fixtures.claimPostgres);
    bumped.metadata!.resourceVersion = '2002';
    bumped.status.conditions[1].message = 'Still waiting (attempt 7)';
    bumped.status.conditions[1].lastTransitionTime = '2026-11-02T00:00:00Z';
    expect(claimToEntity(cp, postgresApi, 'claim', bumped, ctx)).toEqual(a);
  });

  it('gives the same claim in two control planes different, valid names', () => {
    const a = claimToEntity(
      controlPlane({ name: 'ctp-a' }),
      postgresApi,
      'claim',
      fixtures.claimPostgres,
      ctx,
    )!;
    const b = claimToEntity(
      controlPlane({ name: 'ctp-b' }),
      postgresApi,
      'claim',
      fixtures.claimPostgres,
      ctx,
    )!;
    // Same control plane name in another group.
    const c = claimToEntity(
      controlPlane({ id: 'space/local/other/ctp-a', group: 'other' }),
      postgresApi,
      'claim',
      fixtures.claimPostgres,
      ctx,
    )!;
    const names = new Set([a.metadata.name, b.metadata.name, c.metadata.name]);
    expect(names.size).toBe(3);
    for (const n of names) expect(isValidEntityName(n)).toBe(true);
  });

  it('produces valid names from long and unusual object names', () => {
    const obj = structuredClone(fixtures.claimPostgres);
    obj.metadata!.name = `${'a'.repeat(200)}.with.dots`;
    obj.metadata!.namespace = 'n'.repeat(63);
    const e = claimToEntity(
      controlPlane({ name: 'CTP_With.Odd-Chars' }),
      postgresApi,
      'claim',
      obj,
      ctx,
    )!;
    expect(isValidEntityName(e.metadata.name)).toBe(true);
  });

  it('skips objects without a name, and leaves out relations to entities that are not emitted', () => {
    expect(
      claimToEntity(cp, postgresApi, 'claim', { metadata: {} }, ctx),
    ).toBeUndefined();
    const e = claimToEntity(cp, postgresApi, 'claim', fixtures.claimPostgres, {
      ...ctx,
      entities: { controlPlanes: false, claimApis: false },
    })!;
    expect(e.spec).not.toHaveProperty('dependsOn');
  });

  it('reads the Argo CD namespace from a tracking id of an app in another namespace', () => {
    const obj = structuredClone(fixtures.claimPostgres);
    obj.metadata!.annotations!['argocd.argoproj.io/tracking-id'] =
      'apps_orders:platform.example.org/PostgreSQLInstance:team-a/orders-db';
    const e = claimToEntity(cp, postgresApi, 'claim', obj, ctx)!;
    expect(e.metadata.annotations).toMatchObject({
      'argocd/app-name': 'orders',
      'argocd/app-namespace': 'apps',
    });
  });
});
