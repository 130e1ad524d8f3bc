import type { PermissionsService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  controlPlaneEntityName,
  upboundConnectionManagePermission,
} from '@upbound-backstage/plugin-upbound-common';
import {
  toControlPlaneResource,
  type CredentialHandoffConfig,
  type KubeObject,
  type UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import { argoClusterAccess } from '../lib/argoClusterAccess';
import { requireControlPlanePermission } from '../lib/authorize';
import { lookupConnectTarget } from '../lib/connectTarget';
import { lookupArgoCdInstance } from '../lib/lookup';
import type { PlannedObject } from '../lib/ObjectPlan';
import { withManagedByLabel } from '../lib/ownership';
import { runPlan } from '../lib/runPlan';
import { assertGitUrl } from '../lib/gitUrl';
import { lookupControlPlane } from '../lib/lookup';
import { assertDnsLabel, assertDnsSubdomain } from '../lib/validation';
import { examples } from './argocdConnect.examples';
import {
  applySecretsInput,
  controlPlaneInput,
  manifestPathOutput,
  modeInput,
  targetPathInput,
  credentialInput,
} from './inputProperties';

const TRACKING_KEY = 'application.resourceTrackingMethod';
const ACCEPTED_TRACKING = ['annotation', 'annotation+label'];

/**
 * Connects a control plane to Argo CD: a declarative cluster Secret for the MCP (bearer token and
 * CA), an Application that syncs a Git path into it, and annotation resource tracking merged into
 * argocd-cm (only that key, with our field manager).
 * @public
 */
export function createArgoCdConnectAction(options: {
  upbound: UpboundService;
  permissions: PermissionsService;
  handoff: CredentialHandoffConfig;
}) {
  const { upbound, permissions, handoff } = options;
  return createTemplateAction({
    id: 'upbound:argocd:connect',
    description:
      'Connects an Upbound control plane to Argo CD: cluster Secret, an Application syncing a Git path into the control plane, and annotation resource tracking in argocd-cm',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        controlPlane: controlPlaneInput,
        argocdInstance: z =>
          z
            .string()
            .optional()
            .describe(
              'Argo CD instance from `upbound.argocd` (default: the only one)',
            ),
        repoUrl: z =>
          z.string().min(1).describe('Git repository URL Argo CD syncs from'),
        path: z => z.string().default('.').describe('Folder in the repository'),
        recurse: z =>
          z
            .boolean()
            .default(true)
            .describe(
              'Read sub-folders of the path too (claims are written as `<path>/<namespace>/<name>.yaml`)',
            ),
        deleteWithApplication: z =>
          z
            .boolean()
            .default(false)
            .describe(
              'Deleting the Application also deletes the claims it synced (Argo CD resources finalizer)',
            ),
        revision: z =>
          z.string().default('HEAD').describe('Branch, tag or commit'),
        appName: z =>
          z
            .string()
            .optional()
            .describe(
              'Name of the Application (default `<control plane>-gitops`)',
            ),
        project: z => z.string().default('default').describe('Argo CD project'),
        destinationNamespace: z =>
          z
            .string()
            .optional()
            .describe(
              'Namespace for namespaced objects without one (e.g. claims)',
            ),
        automated: z =>
          z
            .boolean()
            .default(true)
            .describe('Sync automatically when Git changes'),
        prune: z =>
          z
            .boolean()
            .default(false)
            .describe('Automated sync deletes objects removed from Git'),
        allowEmpty: z =>
          z
            .boolean()
            .default(false)
            .describe(
              'With prune: deleting the last claim of the folder in Git deletes it in the control plane too (Argo CD refuses to sync an app to empty otherwise)',
            ),
        selfHeal: z =>
          z
            .boolean()
            .default(true)
            .describe('Automated sync reverts changes made outside Git'),
        syncOptions: z =>
          z
            .array(z.string())
            .optional()
            .describe('Argo CD sync options, e.g. `ServerSideApply=true`'),
        overrideTrackingMethod: z =>
          z
            .boolean()
            .default(false)
            .describe(
              'Set annotation tracking even when argocd-cm already sets another method (affects every Application of the instance)',
            ),
        credential: z =>
          credentialInput(
            z,
            'An existing Argo CD cluster Secret for this control plane in the Argo CD namespace; nothing secret is written then',
          ),
        argocdAuth: z =>
          z
            .enum(['bearerToken', 'execProvider'])
            .optional()
            .describe(
              '`execProvider` (default on Upbound Cloud): Argo CD runs `up organization token` with the token, so the connection outlives org-scoped tokens (needs `up` in the Argo CD images); `bearerToken` (default elsewhere): the token as a static bearer token',
            ),
        mode: modeInput,
        applySecrets: applySecretsInput,
        targetPath: z => targetPathInput(z, 'argocd/<appName>.yaml'),
      },
      output: {
        applicationName: z => z.string().describe('Name of the Application'),
        applicationNamespace: z =>
          z.string().describe('Namespace of the Application'),
        clusterSecretName: z =>
          z.string().describe('Name of the Argo CD cluster Secret'),
        server: z =>
          z.string().describe('Destination server (the control plane URL)'),
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
            input.destinationNamespace,
          ),
      );

      const {
        controlPlane,
        instance,
        appCluster,
        where,
        name: appName,
      } = await lookupConnectTarget(upbound, {
        controlPlane: input.controlPlane,
        instanceField: 'argocdInstance',
        lookupInstance: () =>
          lookupArgoCdInstance(upbound, input.argocdInstance),
        name: input.appName,
        nameField: 'appName',
      });
      if (input.destinationNamespace) {
        assertDnsLabel('destinationNamespace', input.destinationNamespace);
      }
      assertGitUrl('repoUrl', input.repoUrl, handoff.allowedGitHosts);
      if (input.project) assertDnsSubdomain('project', input.project);
      const { clusterSecretName: clusterName, clusterSecret } =
        await argoClusterAccess(ctx, {
          upbound,
          handoff,
          controlPlane,
          appCluster,
          namespace: instance.namespace,
          where,
          clusterName: `upbound-${controlPlaneEntityName(controlPlane)}`,
          credential: input.credential,
          auth: input.argocdAuth,
        });
      const application: KubeObject = withManagedByLabel({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: {
          name: appName,
          namespace: instance.namespace,
          ...(input.deleteWithApplication
            ? { finalizers: ['resources-finalizer.argocd.argoproj.io'] }
            : {}),
        },
        spec: {
          project: input.project ?? 'default',
          source: {
            repoURL: input.repoUrl,
            path: input.path ?? '.',
            targetRevision: input.revision ?? 'HEAD',
            // Without it Argo CD reads only the top folder and reports an empty app as Synced.
            ...(input.recurse !== false ? { directory: { recurse: true } } : {}),
          },
          destination: {
            server: controlPlane.server,
            ...(input.destinationNamespace
              ? { namespace: input.destinationNamespace }
              : {}),
          },
          ...(input.automated !== false || input.syncOptions?.length
            ? {
                syncPolicy: {
                  ...(input.automated !== false
                    ? {
                        automated: {
                          prune: input.prune ?? false,
                          selfHeal: input.selfHeal ?? true,
                          ...(input.allowEmpty ? { allowEmpty: true } : {}),
                        },
                      }
                    : {}),
                  ...(input.syncOptions?.length
                    ? { syncOptions: input.syncOptions }
                    : {}),
                },
              }
            : {}),
        },
      });

      // argocd-cm: add only the tracking key; other keys stay with their owners.
      const cmType = await appCluster.client.resolve('v1', 'ConfigMap');
      const argocdCm = await appCluster.client.tryGet(
        cmType,
        'argocd-cm',
        instance.namespace,
      );
      const currentTracking: string | undefined = (
        argocdCm?.data as Record<string, string> | undefined
      )?.[TRACKING_KEY];
      const live: PlannedObject[] = clusterSecret
        ? [
            {
              client: appCluster.client,
              where,
              object: clusterSecret,
              ownership: 'exclusive',
            },
          ]
        : [];
      if (currentTracking && !ACCEPTED_TRACKING.includes(currentTracking)) {
        if (!input.overrideTrackingMethod) {
          throw new InputError(
            `argocd-cm in ${where} sets ${TRACKING_KEY}: ${currentTracking}; claims need annotation tracking. Set overrideTrackingMethod: true to change it (it affects every Application of this Argo CD)`,
          );
        }
      }
      if (!currentTracking || !ACCEPTED_TRACKING.includes(currentTracking)) {
        live.push({
          client: appCluster.client,
          where,
          object: {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'argocd-cm', namespace: instance.namespace },
            data: { [TRACKING_KEY]: 'annotation' },
          },
          ownership: 'shared',
        });
      } else {
        ctx.logger.info(
          `argocd-cm already uses ${currentTracking} resource tracking`,
        );
      }
      const appStep: PlannedObject = {
        client: appCluster.client,
        where,
        object: application,
        ownership: 'exclusive',
      };

      ctx.output('applicationName', appName);
      ctx.output('applicationNamespace', instance.namespace);
      ctx.output('clusterSecretName', clusterName);
      ctx.output('server', controlPlane.server);

      await runPlan(ctx, {
        mode,
        applySecrets: input.applySecrets,
        live,
        manifests: [appStep],
        targetPath: input.targetPath ?? `argocd/${appName}.yaml`,
        what: `Application ${appName}`,
        liveObjectsHint: `Create the Argo CD cluster Secret ${instance.namespace}/${clusterName} for ${controlPlane.server} before merging, or the Application has no destination`,
        checkpointPrefix: `upbound.argocd.connect.${appName}`,
      });
    },
  });
}
