import type { ClaimApi } from '@upbound-backstage/plugin-upbound-common';
import { xrdToClaimApi } from '../claimApis/xrdToClaimApi';
import { resourceTypeOf, xrdOf } from './resourceTypes';

describe('resource type builders', () => {
  it('builds a resource type from apiVersion, kind and plural', () => {
    expect(
      resourceTypeOf('ec2.aws.upbound.io/v1beta1', 'VPC', 'vpcs', false),
    ).toEqual({
      group: 'ec2.aws.upbound.io',
      version: 'v1beta1',
      apiVersion: 'ec2.aws.upbound.io/v1beta1',
      kind: 'VPC',
      plural: 'vpcs',
      namespaced: false,
    });
    expect(resourceTypeOf('v1', 'Secret', 'secrets')).toMatchObject({
      group: '',
      namespaced: true,
    });
  });

  it.each<[string, ClaimApi]>([
    [
      'a legacy XRD with a claim, a schema and conditions',
      {
        name: 'xpostgresqlinstances.database.example.org',
        xrdApiVersion: 'apiextensions.crossplane.io/v1',
        group: 'database.example.org',
        kind: 'XPostgreSQLInstance',
        plural: 'xpostgresqlinstances',
        claimKind: 'PostgreSQLInstance',
        claimPlural: 'postgresqlinstances',
        scope: 'LegacyCluster',
        versions: [
          {
            name: 'v1alpha1',
            served: true,
            referenceable: true,
            schema: { type: 'object' },
          },
        ],
        referenceableVersion: 'v1alpha1',
        established: { state: 'True', reason: 'WatchingCompositeResource' },
        offered: { state: 'False', reason: 'WatchingClaim', message: 'm' },
        defaultCompositionRef: 'aws',
      },
    ],
    [
      'a v2 namespaced XRD',
      {
        name: 'apps.apps.example.org',
        xrdApiVersion: 'apiextensions.crossplane.io/v2',
        group: 'apps.example.org',
        kind: 'App',
        plural: 'apps',
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, referenceable: true }],
        referenceableVersion: 'v1',
      },
    ],
  ])('builds the XRD %s is read from', (_, api) => {
    expect(xrdToClaimApi(xrdOf(api))).toEqual(api);
  });
});
