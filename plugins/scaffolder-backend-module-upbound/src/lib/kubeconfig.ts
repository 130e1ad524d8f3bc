import { stringify } from 'yaml';

/**
 * A self-contained kubeconfig with a static bearer token (no exec plugin: Flux refuses those, and a
 * later scaffolder step cannot run one).
 */
export function buildKubeconfig(options: {
  name: string;
  server: string;
  caData?: string;
  token: string;
  namespace?: string;
}): string {
  const { name, server, caData, token, namespace } = options;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name,
        cluster: {
          server,
          ...(caData
            ? { 'certificate-authority-data': Buffer.from(caData, 'utf8').toString('base64') }
            : {}),
        },
      },
    ],
    users: [{ name, user: { token } }],
    contexts: [
      {
        name,
        context: { cluster: name, user: name, ...(namespace ? { namespace } : {}) },
      },
    ],
    'current-context': name,
  });
}
