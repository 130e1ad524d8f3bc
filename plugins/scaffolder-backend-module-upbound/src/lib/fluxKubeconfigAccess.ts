import { InputError } from '@backstage/errors';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type {
  AppCluster,
  ControlPlane,
  CredentialHandoffConfig,
  KubeObject,
  UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import { parse as parseYaml } from 'yaml';
import { sameServer } from './argoClusterAccess';
import { chooseCredential, type CredentialInput } from './credentials';
import { buildKubeconfig } from './kubeconfig';
import { opaqueSecret } from './opaqueSecret';
import { maskSecret } from './secrets';

function kubeconfigServers(text: string): string[] {
  try {
    const doc = parseYaml(text);
    return (Array.isArray(doc?.clusters) ? doc.clusters : [])
      .map((c: any) => c?.cluster?.server)
      .filter((s: unknown): s is string => typeof s === 'string');
  } catch {
    return [];
  }
}

/**
 * The kubeconfig Secret a Flux Kustomization uses to reach a control plane: written with the
 * credential the template chose (a static bearer token: Flux refuses exec plugins), or an existing
 * Secret given by `credential.secretRef`, which must point at this control plane only.
 */
export async function fluxKubeconfigAccess(
  ctx: Pick<ActionContext<any, any>, 'secrets' | 'logger'>,
  options: {
    upbound: UpboundService;
    handoff: CredentialHandoffConfig;
    controlPlane: ControlPlane;
    appCluster: AppCluster;
    namespace: string;
    where: string;
    secretName: string;
    credential: CredentialInput | undefined;
  },
): Promise<{ secretName: string; key: string; secret?: KubeObject }> {
  const { controlPlane: cp, namespace, where } = options;
  const chosen = await chooseCredential(ctx, {
    upbound: options.upbound,
    handoff: options.handoff,
    controlPlane: cp,
    input: options.credential,
    policy: {
      secretRef: `an existing kubeconfig Secret for ${cp.server} in ${namespace} of ${where} (key value)`,
    },
  });

  if (chosen.kind === 'secretRef') {
    const type = await options.appCluster.client.resolve('v1', 'Secret');
    const existing = (await options.appCluster.client.tryGet(
      type,
      chosen.name,
      namespace,
    )) as (KubeObject & { data?: Record<string, string> }) | undefined;
    const keys = chosen.key ? [chosen.key] : ['value', 'value.yaml'];
    const key = keys.find(k => existing?.data?.[k]);
    const text = key
      ? Buffer.from(existing!.data![key], 'base64').toString('utf8')
      : '';
    const servers = kubeconfigServers(text);
    // Every cluster of the kubeconfig must be this control plane: the permission was granted for it.
    if (!key || !servers.length || !servers.every(s => sameServer(s, cp.server))) {
      throw new InputError(
        `credential.secretRef: ${namespace}/${chosen.name} in ${where} is not a kubeconfig Secret (key ${keys.join(' or ')}) for ${cp.server} only`,
      );
    }
    ctx.logger.info(`Flux reaches ${cp.id} through the existing Secret ${namespace}/${chosen.name}`);
    return { secretName: chosen.name, key };
  }

  if (cp.source === 'cloud' && chosen.source !== 'service-credential') {
    throw new InputError(
      `Control plane ${cp.id} is on Upbound Cloud: its Space ingress accepts only org-scoped tokens that expire within minutes, and Flux refuses kubeconfigs with exec plugins. Give credential.secretRef naming a kubeconfig Secret that something refreshes (e.g. a CronJob running \`up organization token\`)`,
    );
  }
  const kubeconfig = buildKubeconfig({
    name: cp.name,
    server: cp.server,
    caData: cp.caData,
    token: chosen.token,
  });
  maskSecret(ctx.logger, kubeconfig);
  ctx.logger.info(
    `Flux gets ${chosen.label} for ${cp.id} in Secret ${namespace}/${options.secretName}${
      chosen.expiresAt ? `; it expires at ${chosen.expiresAt.toISOString()}` : ''
    }`,
  );
  return {
    secretName: options.secretName,
    key: 'value',
    secret: opaqueSecret({
      name: options.secretName,
      namespace,
      values: { value: kubeconfig },
    }),
  };
}
