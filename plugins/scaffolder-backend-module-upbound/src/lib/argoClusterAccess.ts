import { InputError } from '@backstage/errors';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type {
  AppCluster,
  ControlPlane,
  CredentialHandoffConfig,
  KubeObject,
  UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import { chooseCredential, type CredentialInput } from './credentials';
import { opaqueSecret } from './opaqueSecret';

const SECRET_TYPE_LABEL = 'argocd.argoproj.io/secret-type';

/** How Argo CD authenticates to the control plane. */
export type ArgoAuthMode = 'bearerToken' | 'execProvider';

function base64(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64');
}

/** Scheme and host in lower case, default port and trailing slashes dropped. */
export function sameServer(a: string | undefined, b: string | undefined): boolean {
  const norm = (v?: string) => {
    if (!v) return '';
    try {
      const u = new URL(v.trim());
      const port = u.port && u.port !== '443' ? `:${u.port}` : '';
      return `${u.protocol}//${u.hostname.toLowerCase()}${port}${u.pathname.replace(/\/+$/, '')}`;
    } catch {
      return v.trim().replace(/\/+$/, '');
    }
  };
  return !!a && norm(a) === norm(b);
}

/**
 * The Argo CD cluster Secret for a control plane, with the credential the template chose: a
 * bearer token, or (Upbound Cloud) Argo CD's `execProviderConfig` running `up organization token`
 * with the personal access or robot token, so Argo CD exchanges it itself and the connection
 * outlives the org-scoped token. With `credential.secretRef` an existing cluster Secret for this
 * control plane is used and nothing secret is written.
 */
export async function argoClusterAccess(
  ctx: Pick<ActionContext<any, any>, 'secrets' | 'logger'>,
  options: {
    upbound: UpboundService;
    handoff: CredentialHandoffConfig;
    controlPlane: ControlPlane;
    appCluster: AppCluster;
    namespace: string;
    where: string;
    clusterName: string;
    credential: CredentialInput | undefined;
    auth: ArgoAuthMode | undefined;
  },
): Promise<{ clusterSecretName: string; clusterSecret?: KubeObject }> {
  const { controlPlane: cp, namespace, where, clusterName } = options;
  const chosen = await chooseCredential(ctx, {
    upbound: options.upbound,
    handoff: options.handoff,
    controlPlane: cp,
    input: options.credential,
    policy: {
      secretRef: `an existing Argo CD cluster Secret for ${cp.server} in ${namespace} of ${where}`,
    },
  });

  if (chosen.kind === 'secretRef') {
    const type = await options.appCluster.client.resolve('v1', 'Secret');
    const existing = (await options.appCluster.client.tryGet(
      type,
      chosen.name,
      namespace,
    )) as (KubeObject & { data?: Record<string, string> }) | undefined;
    const server = existing?.data?.server
      ? Buffer.from(existing.data.server, 'base64').toString('utf8')
      : undefined;
    // The Secret must be a cluster Secret for THIS control plane: the permission was granted for it.
    if (
      !existing ||
      existing.metadata?.labels?.[SECRET_TYPE_LABEL] !== 'cluster' ||
      !sameServer(server, cp.server)
    ) {
      throw new InputError(
        `credential.secretRef: ${namespace}/${chosen.name} in ${where} is not an Argo CD cluster Secret (label ${SECRET_TYPE_LABEL}: cluster) for ${cp.server}`,
      );
    }
    ctx.logger.info(`Argo CD reaches ${cp.id} through the existing cluster Secret ${namespace}/${chosen.name}`);
    return { clusterSecretName: chosen.name };
  }

  const auth: ArgoAuthMode =
    options.auth ??
    (cp.source === 'cloud' && chosen.source !== 'service-credential'
      ? 'execProvider'
      : 'bearerToken');
  const tlsClientConfig = {
    insecure: false,
    ...(cp.caData ? { caData: base64(cp.caData) } : {}),
  };
  let config: Record<string, unknown>;
  if (auth === 'execProvider') {
    if (cp.source !== 'cloud') {
      throw new InputError(
        `argocdAuth execProvider runs \`up organization token\` and works for Upbound Cloud control planes only; ${cp.id} takes argocdAuth bearerToken`,
      );
    }
    if (!chosen.organization) {
      throw new InputError(
        `argocdAuth execProvider needs the Upbound organization: set upbound.organization or the credential's organization`,
      );
    }
    config = {
      execProviderConfig: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: 'up',
        args: ['organization', 'token'],
        env: { ORGANIZATION: chosen.organization, UP_TOKEN: chosen.token },
        installHint:
          'Argo CD needs the up CLI in its application controller and server images (see Upbound docs: GitOps with control planes)',
      },
      tlsClientConfig,
    };
  } else {
    if (cp.source === 'cloud' && chosen.source !== 'service-credential') {
      throw new InputError(
        `Control plane ${cp.id} is on Upbound Cloud, whose Space ingress accepts only org-scoped tokens that expire within minutes; use argocdAuth execProvider (default) so Argo CD exchanges ${chosen.label} itself`,
      );
    }
    config = { bearerToken: chosen.token, tlsClientConfig };
  }
  ctx.logger.info(
    `Argo CD gets ${chosen.label} for ${cp.id} (${auth === 'execProvider' ? 'execProviderConfig' : 'bearer token'})${
      chosen.expiresAt ? `; it expires at ${chosen.expiresAt.toISOString()}` : ''
    }`,
  );
  return {
    clusterSecretName: clusterName,
    clusterSecret: opaqueSecret({
      name: clusterName,
      namespace,
      labels: { [SECRET_TYPE_LABEL]: 'cluster' },
      values: { name: clusterName, server: cp.server, config: JSON.stringify(config) },
    }),
  };
}
