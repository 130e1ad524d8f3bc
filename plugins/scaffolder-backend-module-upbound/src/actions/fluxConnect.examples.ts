import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Connect a control plane to Flux with a new GitRepository',
    example: yaml.stringify({
      steps: [
        {
          id: 'flux',
          action: 'upbound:flux:connect',
          name: 'Connect to Flux',
          input: {
            controlPlane: 'space/local/platform/ctp-a',
            fluxInstance: 'main',
            name: 'ctp-a-claims',
            gitRepository: { url: 'https://github.com/acme/platform-claims.git', branch: 'main' },
            path: './claims',
            interval: '5m',
            credential: { gitopsCredential: 'ctp-a-robot' },
          },
        },
      ],
    }),
  },
  {
    description:
      'Connect a control plane to Flux with an existing source and an existing kubeconfig Secret',
    example: yaml.stringify({
      steps: [
        {
          id: 'flux-existing',
          action: 'upbound:flux:connect',
          name: 'Connect to Flux',
          input: {
            controlPlane: 'space/local/platform/ctp-a',
            sourceRef: { kind: 'GitRepository', name: 'platform' },
            path: './claims/ctp-a',
            prune: false,
            // A kubeconfig Secret for this control plane that already exists in flux-system.
            credential: { secretRef: { name: 'ctp-a-kubeconfig' } },
          },
        },
      ],
    }),
  },
];
