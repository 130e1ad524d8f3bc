import type { PermissionsService } from '@backstage/backend-plugin-api';
import { ForwardedError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  CONNECTOR_LABEL_APP_CLUSTER,
  upboundConnectionManagePermission,
} from '@upbound-backstage/plugin-upbound-common';
import {
  KubeError,
  toControlPlaneResource,
  type ControlPlane,
  type KubeClient,
  type KubeObject,
  type ResourceType,
  type UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import { requireControlPlanePermission } from '../lib/authorize';
import { CONNECTOR_RELEASE_NAME } from '../lib/constants';
import { lookupConnectorAppCluster } from '../lib/connectorAppCluster';
import { connectorObjectNames } from '../lib/connectorObjectNames';
import { readHelmRelease } from '../lib/helmRelease';
import { lookupAppCluster, lookupArgoCdInstance, lookupControlPlane } from '../lib/lookup';
import { describeObject, isManagedByUs } from '../lib/ownership';
import { assertDnsLabel } from '../lib/validation';
import { examples } from './connectorUninstall.examples';
import { connectorTargetInputs } from './inputProperties';

interface Removal {
  client: KubeClient;
  where: string;
  type: ResourceType;
  object: KubeObject;
}

/** Claims and namespaced XRs in the namespace that the connector stored for this cluster id. */
async function connectorClaims(
  upbound: UpboundService,
  controlPlane: ControlPlane,
  namespace: string,
  clusterId: string,
): Promise<KubeObject[]> {
  const found: KubeObject[] = [];
  for (const api of await upbound.claimApis(controlPlane.id)) {
    const version =
      api.referenceableVersion ?? api.versions.find(v => v.served)?.name;
    const kinds = [
      ...(api.claimKind ? [api.claimKind] : []),
      ...(api.scope === 'Namespaced' ? [api.kind] : []),
    ];
    for (const kind of kinds) {
      let type: ResourceType;
      try {
        type = await controlPlane.client.resolve(
          `${api.group}/${version}`,
          kind,
        );
      } catch (e) {
        if (
          e instanceof KubeError &&
          (e.type === 'crd-missing' || e.type === 'not-found')
        )
          continue;
        throw e;
      }
      const { items } = await controlPlane.client.list(type, {
        namespace,
        labelSelector: `${CONNECTOR_LABEL_APP_CLUSTER}=${clusterId}`,
      });
      found.push(...items);
    }
  }
  return found;
}

/**
 * Removes what `upbound:connector:install` made (HelmRelease, chart source, token and kubeconfig
 * Secrets, Argo CD Application and repository Secret), or with `helmRelease` a connector installed
 * by hand (`up`/`helm`): every object of its Helm release and the release Secrets. Refuses while the
 * control plane still holds claims of this app cluster, unless told to keep them (they stay there).
 * @public
 */
export function createConnectorUninstallAction(options: {
  upbound: UpboundService;
  permissions: PermissionsService;
}) {
  const { upbound, permissions } = options;
  return createTemplateAction({
    id: 'upbound:connector:uninstall',
    description:
      'Removes the MCP Connector objects that upbound:connector:install created; refuses while claims of the app cluster remain unless keepClaims is set',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...connectorTargetInputs,
        releaseName: z =>
          z
            .string()
            .default(CONNECTOR_RELEASE_NAME)
            .describe('Helm release name used at install'),
        fluxInstance: z =>
          z
            .string()
            .optional()
            .describe(
              'Flux instance of the app cluster (default: the one configured for it)',
            ),
        installationNamespace: z =>
          z
            .string()
            .default('kube-system')
            .describe('Namespace of the connector in the app cluster'),
        argocdInstance: z =>
          z
            .string()
            .optional()
            .describe('Argo CD instance of an installWith argocd install (default: the one in this app cluster)'),
        helmRelease: z =>
          z
            .boolean()
            .default(false)
            .describe(
              'Remove a connector installed by hand (`up ctp connector install`, `helm install`): every object of Helm release `releaseName` in `installationNamespace` and its release Secrets, as `helm uninstall` does',
            ),
        keepClaims: z =>
          z
            .boolean()
            .default(false)
            .describe(
              'Uninstall even though claims of this app cluster remain in the control plane (they stay there)',
            ),
        deleteClaimNamespace: z =>
          z
            .boolean()
            .default(false)
            .describe(
              'Also delete the claim namespace in the control plane when install created it and no claims remain',
            ),
      },
      output: {
        removed: z => z.array(z.string()).describe('Objects removed'),
        plan: z =>
          z
            .array(z.string())
            .describe('Exactly what this run deletes (also in a dry run)'),
        remainingClaims: z =>
          z
            .number()
            .describe('Claims of this app cluster left in the control plane'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      await requireControlPlanePermission(
        ctx,
        permissions,
        upboundConnectionManagePermission,
        async () =>
          toControlPlaneResource(
            await lookupControlPlane(upbound, input.controlPlane),
            input.claimNamespace,
          ),
      );
      assertDnsLabel('claimNamespace', input.claimNamespace);
      const appCluster = lookupAppCluster(upbound, input.appCluster);
      const controlPlane = await lookupControlPlane(
        upbound,
        input.controlPlane,
      );
      const { clusterId, flux } = await lookupConnectorAppCluster(upbound, appCluster, {
        ...input,
        needFlux:
          !!input.fluxInstance ||
          upbound.fluxInstances().some(f => f.appCluster === appCluster.name),
      });
      const installNs = input.installationNamespace ?? 'kube-system';
      assertDnsLabel('installationNamespace', installNs);
      const releaseName = input.releaseName ?? CONNECTOR_RELEASE_NAME;
      const names = connectorObjectNames(
        input.releaseName ?? CONNECTOR_RELEASE_NAME,
      );
      const appWhere = `app cluster ${appCluster.name}`;
      const cpWhere = `control plane ${controlPlane.id}`;

      const claims = await connectorClaims(
        upbound,
        controlPlane,
        input.claimNamespace,
        clusterId,
      );
      if (claims.length > 0 && !input.keepClaims) {
        const sample = claims.slice(0, 5).map(describeObject).join(', ');
        throw new InputError(
          `${claims.length} claim(s) of app cluster '${
            appCluster.name
          }' (cluster id ${clusterId}) still exist in namespace '${
            input.claimNamespace
          }' of ${cpWhere} (${sample}${
            claims.length > 5 ? ', …' : ''
          }); delete them first or set keepClaims: true to leave them there`,
        );
      }

      // Read-only preflight: collect what exists, refuse what is not ours.
      const removals: Removal[] = [];
      const candidates: Array<[KubeClient, string, string, string, string, string]> = [];
      if (flux) {
        candidates.push(
          [appCluster.client, appWhere, 'helm.toolkit.fluxcd.io/v2', 'HelmRelease', names.helmRelease, flux.namespace],
          [appCluster.client, appWhere, 'source.toolkit.fluxcd.io/v1', 'OCIRepository', names.ociRepository, flux.namespace],
          [appCluster.client, appWhere, 'source.toolkit.fluxcd.io/v1', 'HelmRepository', names.ociRepository, flux.namespace],
          [appCluster.client, appWhere, 'v1', 'Secret', names.valuesSecret, flux.namespace],
        );
      }
      candidates.push([appCluster.client, appWhere, 'v1', 'Secret', names.kubeconfigSecret, installNs]);
      const argocd = upbound.argoCdInstances().length
        ? lookupArgoCdInstance(
            upbound,
            input.argocdInstance ??
              upbound.argoCdInstances().find(a => a.appCluster === appCluster.name)?.name ??
              upbound.argoCdInstances()[0].name,
          )
        : undefined;
      if (argocd) {
        const argoClient = upbound.appCluster(argocd.appCluster).client;
        const argoWhere = `Argo CD ${argocd.name}`;
        candidates.push(
          [argoClient, argoWhere, 'argoproj.io/v1alpha1', 'Application', names.argoApplication(appCluster.name), argocd.namespace],
          [argoClient, argoWhere, 'v1', 'Secret', names.argoRepositorySecret, argocd.namespace],
        );
      }
      for (const [client, where, apiVersion, kind, name, namespace] of candidates) {
        let type: ResourceType;
        try {
          type = await client.resolve(apiVersion, kind);
        } catch (e) {
          // An engine that is not installed left nothing to remove.
          if (e instanceof KubeError && (e.type === 'crd-missing' || e.type === 'not-found')) continue;
          throw e;
        }
        const existing = await client.tryGet(type, name, namespace);
        if (!existing) continue;
        if (!isManagedByUs(existing)) {
          // Only the names install would use; someone else's object of that name is left alone.
          if (kind === 'Secret' || kind === 'HelmRepository' || kind === 'OCIRepository') continue;
          throw new InputError(
            `${describeObject(existing)} in ${where} was not created by Backstage; remove it by hand`,
          );
        }
        removals.push({ client, where, type, object: existing });
      }

      if (input.helmRelease) {
        const release = await readHelmRelease(appCluster.client, releaseName, installNs);
        if (!release) {
          throw new InputError(
            `No Helm release ${installNs}/${releaseName} in ${appWhere} (looked for Secrets labelled owner=helm,name=${releaseName})`,
          );
        }
        if (release.chart !== 'mcp-connector') {
          throw new InputError(
            `Helm release ${installNs}/${releaseName} in ${appWhere} is chart '${release.chart}', not mcp-connector`,
          );
        }
        for (const obj of release.objects) {
          const type = await appCluster.client.resolve(obj.apiVersion!, obj.kind!);
          const namespace = type.namespaced ? obj.metadata?.namespace ?? installNs : undefined;
          const live = await appCluster.client.tryGet(type, obj.metadata!.name!, namespace);
          if (live) removals.push({ client: appCluster.client, where: appWhere, type, object: live });
        }
        const secretType = await appCluster.client.resolve('v1', 'Secret');
        for (const secret of release.secrets) {
          removals.push({ client: appCluster.client, where: appWhere, type: secretType, object: secret });
        }
      }
      if (input.deleteClaimNamespace && claims.length === 0) {
        const nsType = await controlPlane.client.resolve('v1', 'Namespace');
        const ns = await controlPlane.client.tryGet(
          nsType,
          input.claimNamespace,
        );
        if (ns && isManagedByUs(ns)) {
          removals.push({
            client: controlPlane.client,
            where: cpWhere,
            type: nsType,
            object: ns,
          });
        } else if (ns) {
          ctx.logger.info(
            `Namespace ${input.claimNamespace} in ${cpWhere} was not created by Backstage; it is kept`,
          );
        }
      }

      ctx.output('remainingClaims', claims.length);
      ctx.output(
        'plan',
        removals.map(r => `${describeObject(r.object)} in ${r.where}`),
      );
      if (claims.length > 0) {
        ctx.logger.warn(
          `${claims.length} claim(s) of this app cluster stay in namespace ${input.claimNamespace} of ${cpWhere} with their composite and managed resources (the connector stores nothing in the app cluster); the app cluster no longer sees them`,
        );
      }
      const removed: string[] = [];
      for (const r of removals) {
        const label = `${describeObject(r.object)} in ${r.where}`;
        if (ctx.isDryRun) {
          ctx.logger.info(`Dry run: would delete ${label}`);
          continue;
        }
        try {
          await ctx.checkpoint({
            key: `upbound.connector.uninstall.${r.client.clusterId}.${r.type.kind}.${r.object.metadata?.name}`.replace(
              /[^A-Za-z0-9._-]/g,
              '_',
            ),
            fn: async () => {
              try {
                await r.client.delete(
                  r.type,
                  r.object.metadata!.name!,
                  r.type.namespaced ? r.object.metadata?.namespace : undefined,
                );
              } catch (e) {
                if (!(e instanceof KubeError && e.type === 'not-found'))
                  throw e;
              }
            },
          });
        } catch (e) {
          throw new ForwardedError(
            `Failed to delete ${label}; removed so far: ${
              removed.join(', ') || 'nothing'
            }; run the action again to finish`,
            e,
          );
        }
        removed.push(label);
        ctx.logger.info(`Deleted ${label}`);
      }
      if (removals.length === 0)
        ctx.logger.info(
          'Nothing to remove: the connector objects are already gone',
        );
      ctx.output('removed', removed);
    },
  });
}
