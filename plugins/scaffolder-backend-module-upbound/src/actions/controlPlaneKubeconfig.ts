import type { PermissionsService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { upboundKubeconfigReadPermission } from '@upbound-backstage/plugin-upbound-common';
import type { UpboundService } from '@upbound-backstage/plugin-upbound-node';
import { requireUserPermission } from '../lib/authorize';
import { buildKubeconfig } from '../lib/kubeconfig';
import { lookupControlPlane } from '../lib/lookup';
import { maskSecret } from '../lib/secrets';
import { assertDnsLabel } from '../lib/validation';
import { examples } from './controlPlaneKubeconfig.examples';
import { controlPlaneInput } from './inputProperties';

/**
 * Issues a kubeconfig (static bearer token, no exec plugin) for a control plane as an output for
 * later steps. The scaffolder has no secret outputs: the value is registered with this step's log
 * redactions, and templates must not copy it into their `output` section.
 * @public
 */
export function createControlPlaneKubeconfigAction(options: {
  upbound: UpboundService;
  permissions: PermissionsService;
}) {
  const { upbound, permissions } = options;
  return createTemplateAction({
    id: 'upbound:controlplane:kubeconfig',
    description:
      'Issues a kubeconfig for an Upbound control plane as a step output (masked in logs; never put it in the template output)',
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
      await requireUserPermission(ctx, permissions, upboundKubeconfigReadPermission);
      if (input.namespace) assertDnsLabel('namespace', input.namespace);
      const controlPlane = await lookupControlPlane(upbound, input.controlPlane);
      const name = input.contextName || controlPlane.name;

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would issue a kubeconfig for control plane ${controlPlane.id}`,
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

      const credentials = await upbound.controlPlaneCredentials(controlPlane.id);
      maskSecret(ctx.logger, credentials.bearerToken);
      const kubeconfig = buildKubeconfig({
        name,
        server: credentials.server,
        caData: credentials.caData,
        token: credentials.bearerToken,
        namespace: input.namespace,
      });
      maskSecret(ctx.logger, kubeconfig);
      ctx.output('kubeconfig', kubeconfig);
      ctx.output('server', credentials.server);
      if (credentials.expiresAt) {
        ctx.output('expiresAt', credentials.expiresAt.toISOString());
      }
      ctx.logger.info(
        `Issued a kubeconfig for control plane ${controlPlane.id}${
          credentials.expiresAt
            ? `; its token expires at ${credentials.expiresAt.toISOString()}`
            : ''
        }`,
      );
    },
  });
}
