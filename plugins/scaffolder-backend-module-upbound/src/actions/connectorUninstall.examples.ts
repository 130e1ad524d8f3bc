import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Uninstall the MCP Connector from an app cluster (refused while its claims remain)',
    example: yaml.stringify({
      steps: [
        {
          id: 'uninstall',
          action: 'upbound:connector:uninstall',
          name: 'Uninstall the MCP Connector',
          input: {
            appCluster: 'app-1',
            controlPlane: 'space/local/platform/ctp-a',
            claimNamespace: 'app-1',
          },
        },
      ],
    }),
  },
  {
    description: 'Uninstall and leave the claims of the app cluster in the control plane',
    example: yaml.stringify({
      steps: [
        {
          id: 'uninstall-keep',
          action: 'upbound:connector:uninstall',
          name: 'Uninstall the MCP Connector',
          input: {
            appCluster: 'app-1',
            controlPlane: 'space/local/platform/ctp-a',
            claimNamespace: 'app-1',
            keepClaims: true,
          },
        },
      ],
    }),
  },
];
