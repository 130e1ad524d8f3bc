import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Issue a kubeconfig for a control plane and hand it to a later step (never to the template output)',
    example: yaml.stringify({
      steps: [
        {
          id: 'kubeconfig',
          action: 'upbound:controlplane:kubeconfig',
          name: 'Kubeconfig for the control plane',
          input: {
            controlPlane: 'space/local/platform/ctp-a',
            namespace: 'team-a',
            // The user's own token from a Secret field; the scaffolder redacts it in every step.
            credential: { token: '${{ secrets.upboundToken }}' },
          },
        },
      ],
    }),
  },
];
