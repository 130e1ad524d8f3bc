import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Create a PostgreSQL claim in a control plane with server-side apply',
    example: yaml.stringify({
      steps: [
        {
          id: 'create-claim',
          action: 'upbound:claim:create',
          name: 'Create claim',
          input: {
            controlPlane: 'space/local/platform/ctp-a',
            apiVersion: 'database.example.org/v1alpha1',
            kind: 'PostgreSQLInstance',
            name: 'orders-db',
            namespace: 'team-a',
            parameters: { parameters: { storageGB: 20, version: '16' } },
            owner: 'group:default/team-a',
          },
        },
      ],
    }),
  },
  {
    description:
      'Write the claim as a manifest into the workspace (parameters as YAML from a textarea) for a pull request',
    example: yaml.stringify({
      steps: [
        {
          id: 'claim-manifest',
          action: 'upbound:claim:create',
          name: 'Write claim manifest',
          input: {
            controlPlane: 'space/local/platform/ctp-a',
            apiVersion: 'database.example.org/v1alpha1',
            kind: 'PostgreSQLInstance',
            name: 'orders-db',
            namespace: 'team-a',
            parameters: 'parameters:\n  storageGB: 20\n',
            mode: 'manifest',
            targetPath: 'claims/team-a/orders-db.yaml',
          },
        },
      ],
    }),
  },
];
