import type { ClaimApi } from '@upbound-backstage/plugin-upbound-common';
import { claimApiValue, specFields } from './schemaSummary';

const bucketApi = {
  name: 'xbuckets.storage.example.org',
  group: 'storage.example.org',
  kind: 'XBucket',
  claimKind: 'Bucket',
  scope: 'LegacyCluster',
  referenceableVersion: 'v1alpha1',
  versions: [
    {
      name: 'v1alpha1',
      referenceable: true,
      served: true,
      schema: {
        properties: {
          spec: {
            type: 'object',
            required: ['parameters'],
            properties: {
              parameters: {
                type: 'object',
                required: ['region'],
                properties: {
                  region: { type: 'string', description: 'AWS region of the bucket.' },
                  versioning: { type: 'boolean', default: false },
                  acl: { type: 'string', enum: ['private', 'public-read'] },
                },
              },
              writeConnectionSecretToRef: { type: 'object' },
            },
          },
        },
      },
    },
  ],
} as unknown as ClaimApi;

describe('specFields', () => {
  it('lists the leaves of nested spec objects with their required state', () => {
    expect(specFields(bucketApi)).toEqual([
      {
        name: 'parameters.region',
        type: 'string',
        required: true,
        description: 'AWS region of the bucket.',
        default: undefined,
        enum: undefined,
      },
      { name: 'parameters.versioning', type: 'boolean', required: false, default: false, description: undefined, enum: undefined },
      { name: 'parameters.acl', type: 'string', required: false, enum: ['private', 'public-read'], description: undefined, default: undefined },
      { name: 'writeConnectionSecretToRef', type: 'object', required: false, description: undefined, default: undefined, enum: undefined },
    ]);
  });

  it('stores the referenceable apiVersion and the claim kind', () => {
    expect(claimApiValue(bucketApi)).toEqual({ apiVersion: 'storage.example.org/v1alpha1', kind: 'Bucket' });
  });
});
