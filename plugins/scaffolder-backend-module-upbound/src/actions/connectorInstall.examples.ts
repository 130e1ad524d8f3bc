import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Install the MCP Connector into an app cluster with Flux, storing its claims in namespace app-1 of the control plane',
    example: yaml.stringify({
      steps: [
        {
          id: 'connector',
          action: 'upbound:connector:install',
          name: 'Install the MCP Connector',
          input: {
            appCluster: 'app-1',
            controlPlane: 'space/local/platform/ctp-a',
            claimNamespace: 'app-1',
            chartVersion: '0.10.0',
            // A robot token the user typed into a Secret field of the template.
            credential: { token: '${{ secrets.upboundToken }}' },
          },
        },
      ],
    }),
  },
  {
    description:
      'Write an Argo CD Application for the connector chart for a pull request (the claim namespace is still created)',
    example: yaml.stringify({
      steps: [
        {
          id: 'connector-manifest',
          action: 'upbound:connector:install',
          name: 'MCP Connector manifest',
          input: {
            appCluster: 'app-1',
            controlPlane: 'space/local/platform/ctp-a',
            claimNamespace: 'app-1',
            gitops: 'argocd',
            mode: 'manifest',
          },
        },
      ],
    }),
  },
];
