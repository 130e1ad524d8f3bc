import type { PermissionsService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { upboundKubeconfigReadPermission } from '@upbound-backstage/plugin-upbound-common';
import {
  toControlPlaneResource,
  type CredentialHandoffConfig,
  type UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import { requireControlPlanePermission } from '../lib/authorize';
import { bearerFor, chooseCredential } from '../lib/credentials';
import { buildKubeconfig } from '../lib/kubeconfig';
import { lookupControlPlane } from '../lib/lookup';
import { maskSecret } from '../lib/secrets';
import { assertDnsLabel, assertDnsSubdomain } from '../lib/validation';
import { examples } from './controlPlaneKubeconfig.examples';
import { controlPlaneInput, credentialInput } from './inputProperties';

/**
 * Issues a kubeconfig (static bearer token, no exec plugin) for a control plane as an output for
 * later steps, with the credential the template chose: a scaffolder secret (which the scaffolder
 * redacts in every step), never a named credential or the backend's own (unless the
 * development-only opt-in is on). On Upbound
 * Cloud the chosen token is exchanged for an org-scoped token, which expires within minutes.
 * The scaffolder has no secret outputs: the value is registered with this step's log redactions,
 * and templates must not copy it into their `output` section.
 * @public
 */
export function createControlPlaneKubeconfigAction(options: {
  upbound: UpboundService;
  permissions: PermissionsService;
  handoff: CredentialHandoffConfig;
}) {
  const { upbound, permissions, handoff } = options;
  return createTemplateAction({
    id: 'upbound:controlplane:kubeconfig',
    description:
      'Issues a kubeconfig for an Upbound control plane as a step output, with a credential the template chooses (masked in logs; never put it in the template output)',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        controlPlane: controlPlaneInput,
        namespace: z =>
          z
            .string()
            .optional()
            .describe('Default namespace of the kubeconfig context'),
        contextName: z =>
          z
            .string()
            .optional()
            .describe('Name of the cluster, user and context (default: the control plane name)'),
        credential: z => credentialInput(z),
      },
      output: {
        kubeconfig: z =>
          z
            .string()
            .describe('The kubeconfig (YAML). Secret: pass it only to steps that need it'),
        server: z => z.string().describe('API server URL of the control plane'),
        expiresAt: z =>
          z.string().optional().describe('When the token expires (ISO time), if known'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      await requireControlPlanePermission(
        ctx,
        permissions,
        upboundKubeconfigReadPermission,
        async () =>
          toControlPlaneResource(
            await lookupControlPlane(upbound, input.controlPlane),
            input.namespace,
          ),
      );
      if (input.namespace) assertDnsLabel('namespace', input.namespace);
      if (input.contextName) assertDnsSubdomain('contextName', input.contextName);
      const controlPlane = await lookupControlPlane(upbound, input.controlPlane);
      const name = input.contextName || controlPlane.name;
      const chosen = await chooseCredential(ctx, {
        upbound,
        handoff,
        controlPlane,
        input: input.credential,
        policy: {
          noNamedCredential:
            'the kubeconfig is a step output that later steps may log, and the scaffolder redacts only the task\'s own secrets; give credential.token (a scaffolder secret)',
        },
      });
      if (chosen.kind !== 'token') throw new Error('unreachable: no secretRef here');

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would issue a kubeconfig for control plane ${controlPlane.id} with ${chosen.label}`,
        );
        ctx.output(
          'kubeconfig',
          buildKubeconfig({
            name,
            server: controlPlane.server,
            caData: controlPlane.caData,
            token: 'dry-run',
            namespace: input.namespace,
          }),
        );
        ctx.output('server', controlPlane.server);
        return;
      }

      const { token, expiresAt } = await bearerFor(chosen, controlPlane, handoff);
      maskSecret(ctx.logger, token);
      const kubeconfig = buildKubeconfig({
        name,
        server: controlPlane.server,
        caData: controlPlane.caData,
        token,
        namespace: input.namespace,
      });
      maskSecret(ctx.logger, kubeconfig);
      ctx.output('kubeconfig', kubeconfig);
      ctx.output('server', controlPlane.server);
      if (expiresAt) ctx.output('expiresAt', expiresAt.toISOString());
      ctx.logger.info(
        `Issued a kubeconfig for control plane ${controlPlane.id} with ${chosen.label}${
          expiresAt ? `; its token expires at ${expiresAt.toISOString()}` : ''
        }`,
      );
    },
  });
}
