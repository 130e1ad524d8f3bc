import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Connect a control plane to Argo CD and sync the claims folder of a repository into it',
    example: yaml.stringify({
      steps: [
        {
          id: 'argocd',
          action: 'upbound:argocd:connect',
          name: 'Connect to Argo CD',
          input: {
            controlPlane: 'space/local/platform/ctp-a',
            argocdInstance: 'main',
            repoUrl: 'https://github.com/acme/platform-claims.git',
            path: 'claims',
            revision: 'main',
            appName: 'ctp-a-claims',
            prune: true,
            // A robot token from upbound.gitopsCredentials, limited to this control plane.
            credential: { gitopsCredential: 'ctp-a-robot' },
          },
        },
      ],
    }),
  },
  {
    description:
      'Write the Application as a manifest for a pull request with a token from a Secret field; the cluster Secret is still applied directly',
    example: yaml.stringify({
      steps: [
        {
          id: 'argocd-manifest',
          action: 'upbound:argocd:connect',
          name: 'Argo CD Application manifest',
          input: {
            controlPlane: 'space/local/platform/ctp-a',
            repoUrl: 'https://github.com/acme/platform-claims.git',
            path: 'claims',
            mode: 'manifest',
            // A token the user typed into a Secret field of the template.
            credential: { token: '${{ secrets.upboundToken }}' },
          },
        },
      ],
    }),
  },
];
