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
      'Write an Argo CD Application and its chart repository Secret for a pull request; the control plane kubeconfig (with a named credential) goes into a Secret beside the connector, never into Git',
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
            installWith: 'argocd',
            mode: 'manifest',
            credential: { gitopsCredential: 'ctp-a-robot' },
          },
        },
      ],
    }),
  },
  {
    description:
      "Write a values file and the helm upgrade --install command for a runbook, from the seed's chart repository (mcp.* values); the token is read from $UPBOUND_TOKEN_FILE when the command runs",
    example: yaml.stringify({
      steps: [
        {
          id: 'connector-helm',
          action: 'upbound:connector:install',
          name: 'MCP Connector helm command',
          input: {
            appCluster: 'app-1',
            controlPlane: 'space/local/platform/ctp-a',
            claimNamespace: 'app-1',
            installWith: 'helm',
            mode: 'manifest',
            chartUrl: 'upbound-beta/mcp-connector',
            chartVersion: '0.6.0',
          },
        },
      ],
    }),
  },
];
