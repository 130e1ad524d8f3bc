/*
 * Crossplane objects shaped like the ones a real control plane serves (v1 claim/XR/MRs, v2 XRs).
 */
import type { KubeObject } from '@upbound-backstage/plugin-upbound-node';
import type { ClaimApi } from '@upbound-backstage/plugin-upbound-common';
import { resourceTypeOf } from '@upbound-backstage/plugin-upbound-node/testUtils';

export const cpId = 'space/local/platform/ctp-a';

export const types = [
  resourceTypeOf(
    'platform.example.org/v1alpha1',
    'Database',
    'databases',
    true,
  ),
  resourceTypeOf(
    'platform.example.org/v1alpha1',
    'XDatabase',
    'xdatabases',
    false,
  ),
  resourceTypeOf(
    'platform.example.org/v1alpha1',
    'XNetwork',
    'xnetworks',
    false,
  ),
  resourceTypeOf('apps.example.org/v1', 'App', 'apps', true),
  resourceTypeOf('rds.aws.upbound.io/v1beta1', 'Instance', 'instances', false),
  resourceTypeOf('ec2.aws.upbound.io/v1beta1', 'VPC', 'vpcs', false),
  resourceTypeOf('ec2.aws.upbound.io/v1beta1', 'Subnet', 'subnets', false),
  resourceTypeOf(
    'ec2.aws.upbound.io/v1beta1',
    'SecurityGroup',
    'securitygroups',
    false,
  ),
  resourceTypeOf('iam.aws.upbound.io/v1beta1', 'Role', 'roles', false),
  resourceTypeOf('s3.aws.m.upbound.io/v1beta1', 'Bucket', 'buckets', true),
  resourceTypeOf(
    'kubernetes.m.crossplane.io/v1alpha1',
    'Object',
    'objects',
    true,
  ),
];

export function cond(
  conditionType: string,
  status: string,
  reason?: string,
  message?: string,
) {
  return {
    type: conditionType,
    status,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}
const healthy = {
  conditions: [
    cond('Ready', 'True', 'Available'),
    cond('Synced', 'True', 'ReconcileSuccess'),
  ],
};

export function mr(
  apiVersion: string,
  kind: string,
  name: string,
  composite: string,
  status: any = healthy,
  namespace?: string,
): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      uid: `uid-${name}`,
      labels: { 'crossplane.io/composite': composite },
      annotations: {
        'crossplane.io/composition-resource-name': name.replace(/-\w+$/, ''),
      },
    },
    spec: { forProvider: {}, providerConfigRef: { name: 'default' } },
    status,
  };
}

/** v1: claim team-a/db-1 → XDatabase db-1-x7k2p → Instance + VPC + nested XNetwork → Subnets. */
export function v1Tree(
  options: { failingSubnet?: boolean; deleteVpc?: boolean } = {},
) {
  const claim: KubeObject = {
    apiVersion: 'platform.example.org/v1alpha1',
    kind: 'Database',
    metadata: {
      name: 'db-1',
      namespace: 'team-a',
      uid: 'uid-claim',
      managedFields: [{ manager: 'kubectl' }],
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': '{"spec":{}}',
      },
    },
    spec: {
      compositionRef: { name: 'xdatabases.aws' },
      resourceRef: {
        apiVersion: 'platform.example.org/v1alpha1',
        kind: 'XDatabase',
        name: 'db-1-x7k2p',
      },
      writeConnectionSecretToRef: { name: 'db-1-conn' },
    },
    status: options.failingSubnet
      ? {
          conditions: [
            cond('Ready', 'False', 'Creating'),
            cond('Synced', 'True'),
          ],
        }
      : healthy,
  };
  const xr: KubeObject = {
    apiVersion: 'platform.example.org/v1alpha1',
    kind: 'XDatabase',
    metadata: {
      name: 'db-1-x7k2p',
      uid: 'uid-xr',
      labels: {
        'crossplane.io/composite': 'db-1-x7k2p',
        'crossplane.io/claim-name': 'db-1',
        'crossplane.io/claim-namespace': 'team-a',
      },
    },
    spec: {
      claimRef: {
        apiVersion: 'platform.example.org/v1alpha1',
        kind: 'Database',
        namespace: 'team-a',
        name: 'db-1',
      },
      resourceRefs: [
        {
          apiVersion: 'rds.aws.upbound.io/v1beta1',
          kind: 'Instance',
          name: 'db-1-x7k2p-rds',
        },
        {
          apiVersion: 'ec2.aws.upbound.io/v1beta1',
          kind: 'VPC',
          name: 'db-1-x7k2p-vpc',
        },
        {
          apiVersion: 'platform.example.org/v1alpha1',
          kind: 'XNetwork',
          name: 'db-1-x7k2p-net',
        },
      ],
    },
    status: options.failingSubnet
      ? {
          conditions: [
            cond('Ready', 'False', 'Creating'),
            cond('Synced', 'True'),
          ],
        }
      : healthy,
  };
  const net: KubeObject = {
    apiVersion: 'platform.example.org/v1alpha1',
    kind: 'XNetwork',
    metadata: {
      name: 'db-1-x7k2p-net',
      uid: 'uid-net',
      labels: { 'crossplane.io/composite': 'db-1-x7k2p' },
    },
    spec: {
      resourceRefs: [
        {
          apiVersion: 'ec2.aws.upbound.io/v1beta1',
          kind: 'Subnet',
          name: 'db-1-x7k2p-net-a',
        },
        {
          apiVersion: 'ec2.aws.upbound.io/v1beta1',
          kind: 'Subnet',
          name: 'db-1-x7k2p-net-b',
        },
      ],
    },
    status: options.failingSubnet
      ? {
          conditions: [
            cond('Ready', 'False', 'Creating'),
            cond('Synced', 'True'),
          ],
        }
      : healthy,
  };
  const objects: KubeObject[] = [
    claim,
    xr,
    net,
    mr(
      'rds.aws.upbound.io/v1beta1',
      'Instance',
      'db-1-x7k2p-rds',
      'db-1-x7k2p',
    ),
    mr(
      'ec2.aws.upbound.io/v1beta1',
      'Subnet',
      'db-1-x7k2p-net-a',
      'db-1-x7k2p',
    ),
    mr(
      'ec2.aws.upbound.io/v1beta1',
      'Subnet',
      'db-1-x7k2p-net-b',
      'db-1-x7k2p',
      options.failingSubnet
        ? {
            conditions: [
              cond('Ready', 'False', 'Unavailable'),
              cond(
                'Synced',
                'False',
                'ReconcileError',
                'InvalidSubnet.Range: CIDR overlaps',
              ),
            ],
          }
        : healthy,
    ),
  ];
  if (!options.deleteVpc) {
    objects.push(
      mr('ec2.aws.upbound.io/v1beta1', 'VPC', 'db-1-x7k2p-vpc', 'db-1-x7k2p'),
    );
  }
  return objects;
}

/** v2: namespaced XR team-b/cache-1 (App) → Bucket + Object in the same namespace. */
export function v2Tree(): KubeObject[] {
  return [
    {
      apiVersion: 'apps.example.org/v1',
      kind: 'App',
      metadata: {
        name: 'cache-1',
        namespace: 'team-b',
        uid: 'uid-app',
        labels: {
          'crossplane.io/composite': 'cache-1',
          'mcp-connector.upbound.io/app-cluster':
            '00000000-0000-0000-0000-000000000001',
          'mcp-connector.upbound.io/app-namespace': 'shop',
          'mcp-connector.upbound.io/app-resource-name': 'cache',
        },
      },
      spec: {
        crossplane: {
          compositionRef: { name: 'apps' },
          resourceRefs: [
            {
              apiVersion: 's3.aws.m.upbound.io/v1beta1',
              kind: 'Bucket',
              name: 'cache-1-bkt',
            },
            {
              apiVersion: 'kubernetes.m.crossplane.io/v1alpha1',
              kind: 'Object',
              name: 'cache-1-cm',
            },
          ],
        },
      },
      status: healthy,
    },
    mr(
      's3.aws.m.upbound.io/v1beta1',
      'Bucket',
      'cache-1-bkt',
      'cache-1',
      healthy,
      'team-b',
    ),
    mr(
      'kubernetes.m.crossplane.io/v1alpha1',
      'Object',
      'cache-1-cm',
      'cache-1',
      healthy,
      'team-b',
    ),
  ];
}

export const claimApis: ClaimApi[] = [
  {
    name: 'xdatabases.platform.example.org',
    xrdApiVersion: 'apiextensions.crossplane.io/v1',
    group: 'platform.example.org',
    kind: 'XDatabase',
    plural: 'xdatabases',
    claimKind: 'Database',
    claimPlural: 'databases',
    scope: 'LegacyCluster',
    versions: [{ name: 'v1alpha1', served: true, referenceable: true }],
    referenceableVersion: 'v1alpha1',
  },
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
];
