import type { PermissionsService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { upboundConnectionManagePermission } from '@upbound-backstage/plugin-upbound-common';
import {
  toControlPlaneResource,
  type CredentialHandoffConfig,
  type UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import { requireControlPlanePermission } from '../lib/authorize';
import { lookupConnectTarget } from '../lib/connectTarget';
import { fluxKubeconfigAccess } from '../lib/fluxKubeconfigAccess';
import { assertGitUrl } from '../lib/gitUrl';
import { lookupControlPlane, lookupFluxInstance } from '../lib/lookup';
import { resolveServedType, type PlannedObject } from '../lib/ObjectPlan';
import { withManagedByLabel } from '../lib/ownership';
import { runPlan } from '../lib/runPlan';
import { assertDnsLabel, assertDnsSubdomain } from '../lib/validation';
import { examples } from './fluxConnect.examples';
import {
  applySecretsInput,
  controlPlaneInput,
  manifestPathOutput,
  modeInput,
  targetPathInput,
  credentialInput,
} from './inputProperties';

const SOURCE_API_VERSION = 'source.toolkit.fluxcd.io/v1';
const DURATION = /^(\d+(\.\d+)?(ms|s|m|h))+$/;

/**
 * Connects a control plane to Flux: a kubeconfig Secret (key `value`, static bearer token: Flux
 * refuses exec plugins), optionally a new GitRepository, and a Kustomization that applies a path
 * into the control plane through `kubeConfig.secretRef`.
 * @public
 */
export function createFluxConnectAction(options: {
  upbound: UpboundService;
  permissions: PermissionsService;
  handoff: CredentialHandoffConfig;
}) {
  const { upbound, permissions, handoff } = options;
  return createTemplateAction({
    id: 'upbound:flux:connect',
    description:
      'Connects an Upbound control plane to Flux: kubeconfig Secret, optional GitRepository, and a Kustomization applying a path into the control plane',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        controlPlane: controlPlaneInput,
        fluxInstance: z =>
          z
            .string()
            .optional()
            .describe(
              'Flux instance from `upbound.flux` (default: the only one)',
            ),
        name: z =>
          z
            .string()
            .optional()
            .describe(
              'Name of the Kustomization (and of the new GitRepository); default `<control plane>-gitops`',
            ),
        sourceRef: z =>
          z
            .object({
              kind: z
                .enum(['GitRepository', 'OCIRepository', 'Bucket'])
                .default('GitRepository'),
              name: z.string(),
              namespace: z.string().optional(),
            })
            .optional()
            .describe('An existing Flux source to use'),
        gitRepository: z =>
          z
            .object({
              url: z.string(),
              branch: z.string().optional(),
              tag: z.string().optional(),
              secretRef: z
                .string()
                .optional()
                .describe(
                  'Secret with Git credentials; only with a URL on a host of upbound.gitops.allowedGitHosts',
                ),
            })
            .optional()
            .describe('A new GitRepository to create (instead of sourceRef)'),
        path: z => z.string().default('./').describe('Path in the source'),
        interval: z =>
          z.string().default('5m').describe('Reconcile interval, e.g. `5m`'),
        prune: z =>
          z
            .boolean()
            .default(true)
            .describe('Delete objects removed from the source'),
        targetNamespace: z =>
          z.string().optional().describe('Namespace for objects without one'),
        credential: z =>
          credentialInput(
            z,
            'An existing kubeconfig Secret for this control plane in the Flux namespace (key `value`); nothing secret is written then',
          ),
        mode: modeInput,
        applySecrets: applySecretsInput,
        targetPath: z => targetPathInput(z, 'flux/<name>.yaml'),
      },
      output: {
        kustomizationName: z =>
          z.string().describe('Name of the Kustomization'),
        namespace: z =>
          z.string().describe('Flux namespace the objects live in'),
        kubeconfigSecretName: z =>
          z.string().describe('Name of the kubeconfig Secret'),
        manifestPath: manifestPathOutput,
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const mode = input.mode ?? 'apply';
      await requireControlPlanePermission(
        ctx,
        permissions,
        upboundConnectionManagePermission,
        async () =>
          toControlPlaneResource(
            await lookupControlPlane(upbound, input.controlPlane),
            input.targetNamespace,
          ),
      );

      const { controlPlane, instance, appCluster, where, name } =
        await lookupConnectTarget(upbound, {
          controlPlane: input.controlPlane,
          instanceField: 'fluxInstance',
          lookupInstance: () => lookupFluxInstance(upbound, input.fluxInstance),
          name: input.name,
          nameField: 'name',
        });
      const interval = input.interval ?? '5m';
      if (!DURATION.test(interval)) {
        throw new InputError(
          `Invalid interval '${interval}': expected a duration like 5m or 1h30m`,
        );
      }
      if (input.targetNamespace)
        assertDnsLabel('targetNamespace', input.targetNamespace);
      if (!!input.sourceRef === !!input.gitRepository) {
        throw new InputError(
          'Give exactly one of sourceRef (an existing source) or gitRepository (a new one)',
        );
      }
      const namespace = instance.namespace;

      let sourceRef: { kind: string; name: string; namespace?: string };
      const objects: PlannedObject[] = [];
      if (input.sourceRef) {
        sourceRef = {
          ...input.sourceRef,
          kind: input.sourceRef.kind ?? 'GitRepository',
        };
        assertDnsSubdomain('sourceRef.name', sourceRef.name);
        if (sourceRef.namespace)
          assertDnsLabel('sourceRef.namespace', sourceRef.namespace);
        const type = await resolveServedType(
          appCluster.client,
          SOURCE_API_VERSION,
          sourceRef.kind,
          where,
        );
        if (
          !(await appCluster.client.tryGet(
            type,
            sourceRef.name,
            sourceRef.namespace ?? namespace,
          ))
        ) {
          throw new InputError(
            `Unknown sourceRef: ${sourceRef.kind} ${
              sourceRef.namespace ?? namespace
            }/${sourceRef.name} does not exist in ${where}`,
          );
        }
      } else {
        const git = input.gitRepository!;
        const host = assertGitUrl(
          'gitRepository.url',
          git.url,
          handoff.allowedGitHosts,
        );
        if (git.secretRef) {
          assertDnsSubdomain('gitRepository.secretRef', git.secretRef);
          // source-controller sends the Secret's Git credentials to the URL's host.
          if (!handoff.allowedGitHosts) {
            throw new InputError(
              `gitRepository.secretRef is accepted only for Git hosts listed in upbound.gitops.allowedGitHosts (none are configured); source-controller would send the Secret's credentials to ${host}`,
            );
          }
        }
        sourceRef = { kind: 'GitRepository', name };
        objects.push({
          client: appCluster.client,
          where,
          ownership: 'exclusive',
          object: withManagedByLabel({
            apiVersion: SOURCE_API_VERSION,
            kind: 'GitRepository',
            metadata: { name, namespace },
            spec: {
              url: git.url,
              interval,
              ref: git.tag
                ? { tag: git.tag }
                : { branch: git.branch ?? 'main' },
              ...(git.secretRef ? { secretRef: { name: git.secretRef } } : {}),
            },
          }),
        });
      }

      const access = await fluxKubeconfigAccess(ctx, {
        upbound,
        handoff,
        controlPlane,
        appCluster,
        namespace,
        where,
        secretName: `${name}-kubeconfig`,
        credential: input.credential,
      });
      const secretName = access.secretName;
      const live: PlannedObject[] = access.secret
        ? [
            {
              client: appCluster.client,
              where,
              ownership: 'exclusive',
              object: access.secret,
            },
          ]
        : [];
      objects.push({
        client: appCluster.client,
        where,
        ownership: 'exclusive',
        object: withManagedByLabel({
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          kind: 'Kustomization',
          metadata: { name, namespace },
          spec: {
            interval,
            sourceRef,
            path: input.path ?? './',
            prune: input.prune ?? true,
            ...(input.targetNamespace
              ? { targetNamespace: input.targetNamespace }
              : {}),
            kubeConfig: { secretRef: { name: secretName, key: access.key } },
          },
        }),
      });

      ctx.output('kustomizationName', name);
      ctx.output('namespace', namespace);
      ctx.output('kubeconfigSecretName', secretName);

      await runPlan(ctx, {
        mode,
        applySecrets: input.applySecrets,
        live,
        manifests: objects,
        targetPath: input.targetPath ?? `flux/${name}.yaml`,
        what: `${objects.length} Flux objects`,
        liveObjectsHint: `Create the kubeconfig Secret ${namespace}/${secretName} (key value) before merging, or the Kustomization cannot reach the control plane`,
        checkpointPrefix: `upbound.flux.connect.${name}`,
      });
    },
  });
}
