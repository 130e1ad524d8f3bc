import type {
  ClaimApi,
  ControlPlaneSummary,
} from '@upbound-backstage/plugin-upbound-common';
import {
  xrdToClaimApi,
  type KubeObject,
} from '@upbound-backstage/plugin-upbound-node';
import type { MappingContext } from '../lib/mappingContext';
import xrdV1 from './xrd-v1-postgres.json';
import xrdV2 from './xrd-v2-bucket.json';
import claimPostgres from './claim-postgres.json';
import xrBucket from './xr-v2-bucket.json';

export const fixtures = {
  xrdV1: xrdV1 as KubeObject,
  xrdV2: xrdV2 as KubeObject,
  claimPostgres: claimPostgres as KubeObject,
  xrBucket: xrBucket as KubeObject,
};

export const postgresApi: ClaimApi = xrdToClaimApi(fixtures.xrdV1)!;
export const bucketApi: ClaimApi = xrdToClaimApi(fixtures.xrdV2)!;

export function controlPlane(
  overrides: Partial<ControlPlaneSummary> = {},
): ControlPlaneSummary {
  const name = overrides.name ?? 'ctp-a';
  return {
    id: `space/local/platform/${name}`,
    source: 'space',
    space: 'local',
    group: 'platform',
    name,
    ready: { state: 'True' },
    conditions: [],
    crossplaneVersion: '1.20.0',
    ...overrides,
  };
}

export function mappingContext(
  overrides: Partial<MappingContext> = {},
): MappingContext {
  return {
    providerName: 'upbound-provider:default',
    ownerLabel: 'upbound.io/owner',
    namespaceOwners: { 'team-a': 'group:default/team-a' },
    defaultOwner: 'group:default/platform',
    appClusters: [
      {
        name: 'app-1',
        clusterId: '00000000-0000-0000-0000-000000000001',
        source: 'upbound',
      },
    ],
    entities: { controlPlanes: true, claimApis: true },
    ...overrides,
  };
}
