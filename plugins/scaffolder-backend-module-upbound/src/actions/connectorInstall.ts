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
import { chooseCredential } from '../lib/credentials';
import {
  CONNECTOR_CHART_URL,
  CONNECTOR_DEFAULT_CHART_VERSION,
  CONNECTOR_RELEASE_NAME,
} from '../lib/constants';
import {
  connectorTokenPath,
  connectorValues,
  connectorValueStyle,
} from '../lib/connectorValues';
import { lookupConnectorAppCluster } from '../lib/connectorAppCluster';
import { connectorObjectNames } from '../lib/connectorObjectNames';
import {
  lookupAppCluster,
  lookupArgoCdInstance,
  lookupControlPlane,
} from '../lib/lookup';
import type { PlannedObject } from '../lib/ObjectPlan';
import { opaqueSecret } from '../lib/opaqueSecret';
import { withManagedByLabel } from '../lib/ownership';
import { runPlan } from '../lib/runPlan';
import { assertDnsLabel } from '../lib/validation';
import { examples } from './connectorInstall.examples';
import {
  applySecretsInput,
  manifestPathOutput,
  modeInput,
  targetPathInput,
  credentialInput,
  connectorTargetInputs,
} from './inputProperties';

/**
 * Installs the MCP Connector into an app cluster: the claim namespace in the control plane (if
 * missing), and a Flux OCIRepository + HelmRelease (values by chart version) with the token in a
 * Secret; or, in manifest mode, the same objects or an Argo CD Application with a Helm source.
 * @public
 */
export function createConnectorInstallAction(options: {
  upbound: UpboundService;
  permissions: PermissionsService;
  handoff: CredentialHandoffConfig;
}) {
  const { upbound, permissions, handoff } = options;
  return createTemplateAction({
    id: 'upbound:connector:install',
    description:
      'Installs the MCP Connector into an app cluster (Flux HelmRelease, or an Argo CD Application in manifest mode) so its claims are stored in a control plane namespace',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...connectorTargetInputs,
        account: z =>
          z
            .string()
            .optional()
            .describe(
              'Upbound organization (required for Upbound Cloud control planes)',
            ),
        chartVersion: z =>
          z
            .string()
            .default(CONNECTOR_DEFAULT_CHART_VERSION)
            .describe(
              'mcp-connector chart version; before 0.8 the CLI value keys (`mcp.*`) are written, from 0.8 the documented ones',
            ),
        chartUrl: z =>
          z
            .string()
            .default(CONNECTOR_CHART_URL)
            .describe('OCI URL of the chart (for mirrors)'),
        installationNamespace: z =>
          z
            .string()
            .default('kube-system')
            .describe('Namespace of the connector in the app cluster'),
        releaseName: z =>
          z
            .string()
            .default(CONNECTOR_RELEASE_NAME)
            .describe('Helm release name'),
        gitops: z =>
          z
            .enum(['flux', 'argocd'])
            .default('flux')
            .describe(
              '`flux` (OCIRepository + HelmRelease); `argocd` writes an Application and needs manifest mode',
            ),
        fluxInstance: z =>
          z
            .string()
            .optional()
            .describe(
              'Flux instance running in the app cluster (default: the one configured for it)',
            ),
        argocdInstance: z =>
          z
            .string()
            .optional()
            .describe(
              'Argo CD instance for gitops `argocd` (default: the only one)',
            ),
        credential: z =>
          credentialInput(
            z,
            'An existing Secret in the Flux namespace of the app cluster holding the token (key default `token`); nothing secret is written then',
          ),
        mode: modeInput,
        applySecrets: applySecretsInput,
        targetPath: z =>
          targetPathInput(z, 'clusters/<appCluster>/mcp-connector.yaml'),
      },
      output: {
        clusterId: z =>
          z.string().describe('Connector cluster id of the app cluster'),
        claimNamespace: z =>
          z.string().describe('Namespace in the control plane for the claims'),
        valueStyle: z =>
          z
            .enum(['cli', 'docs'])
            .describe('Value keys written for this chart version'),
        manifestPath: manifestPathOutput,
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const mode = input.mode ?? 'apply';
      const gitops = input.gitops ?? 'flux';
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
      const installNs = input.installationNamespace ?? 'kube-system';
      assertDnsLabel('installationNamespace', installNs);
      const releaseName = input.releaseName ?? CONNECTOR_RELEASE_NAME;
      assertDnsLabel('releaseName', releaseName);
      const chartVersion =
        input.chartVersion ?? CONNECTOR_DEFAULT_CHART_VERSION;
      const style = connectorValueStyle(chartVersion);
      const chartUrl = input.chartUrl ?? CONNECTOR_CHART_URL;
      if (!chartUrl.startsWith('oci://')) {
        throw new InputError(
          `Invalid chartUrl '${chartUrl}': expected an oci:// URL`,
        );
      }
      if (gitops === 'argocd' && mode !== 'manifest') {
        throw new InputError(
          'gitops argocd needs mode manifest: the Application is written for a pull request',
        );
      }

      const appCluster = lookupAppCluster(upbound, input.appCluster);
      const controlPlane = await lookupControlPlane(
        upbound,
        input.controlPlane,
      );
      if (controlPlane.source === 'direct') {
        throw new InputError(
          `controlPlane '${controlPlane.id}' is not in an Upbound Space; the MCP Connector connects to Space control planes only`,
        );
      }
      if (controlPlane.source === 'cloud' && !input.account) {
        throw new InputError(
          'account is required for Upbound Cloud control planes',
        );
      }
      const { clusterId, flux } = lookupConnectorAppCluster(
        upbound,
        appCluster,
        input,
      );
      if (gitops === 'flux' && flux.appCluster !== appCluster.name) {
        throw new InputError(
          `fluxInstance '${flux.name}' runs in app cluster '${flux.appCluster}', not in '${appCluster.name}'`,
        );
      }

      const values = connectorValues({
        style,
        account: input.account,
        controlPlane,
        server: controlPlane.server,
        claimNamespace: input.claimNamespace,
        clusterId,
      });
      const names = connectorObjectNames(releaseName);
      const appWhere = `app cluster ${appCluster.name}`;
      // The connector exchanges a personal access or robot token itself (also on Upbound Cloud).
      const chosen =
        gitops === 'flux'
          ? await chooseCredential(ctx, {
              upbound,
              handoff,
              controlPlane,
              input: input.credential,
              policy: {
                secretRef: `an existing Secret in ${flux.namespace} of app cluster ${appCluster.name} holding the token`,
              },
            })
          : undefined;
      // A credential the user did not type in goes only to the Upbound chart: another chart URL
      // could template the token anywhere.
      if (
        chosen?.kind === 'token' &&
        chosen.source !== 'task-secret' &&
        chartUrl !== CONNECTOR_CHART_URL
      ) {
        throw new InputError(
          `chartUrl '${chartUrl}' is not the Upbound connector chart (${CONNECTOR_CHART_URL}); ${chosen.label} is handed only to that chart. Give your own token (credential.token) for a mirror`,
        );
      }
      const tokenSecretRef =
        chosen?.kind === 'secretRef'
          ? { name: chosen.name, key: chosen.key ?? 'token' }
          : { name: names.valuesSecret, key: 'token' };

      const live: PlannedObject[] = [
        {
          client: controlPlane.client,
          where: `control plane ${controlPlane.id}`,
          ownership: 'createIfMissing',
          object: withManagedByLabel({
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: input.claimNamespace },
          }),
        },
      ];
      if (chosen?.kind === 'token') {
        ctx.logger.info(
          `The connector gets ${chosen.label} in Secret ${flux.namespace}/${names.valuesSecret}`,
        );
        live.push({
          client: appCluster.client,
          where: appWhere,
          ownership: 'exclusive',
          object: opaqueSecret({
            name: names.valuesSecret,
            namespace: flux.namespace,
            values: { token: chosen.token },
          }),
        });
      } else if (chosen?.kind === 'secretRef') {
        const secretType = await appCluster.client.resolve('v1', 'Secret');
        const existing = await appCluster.client.tryGet(
          secretType,
          chosen.name,
          flux.namespace,
        );
        if (!(existing as any)?.data?.[tokenSecretRef.key]) {
          throw new InputError(
            `credential.secretRef: Secret ${flux.namespace}/${chosen.name} with key ${tokenSecretRef.key} does not exist in ${appWhere}`,
          );
        }
      }

      let release: PlannedObject[];
      if (gitops === 'flux') {
        release = [
          {
            client: appCluster.client,
            where: appWhere,
            ownership: 'exclusive',
            object: withManagedByLabel({
              apiVersion: 'source.toolkit.fluxcd.io/v1',
              kind: 'OCIRepository',
              metadata: {
                name: names.ociRepository,
                namespace: flux.namespace,
              },
              spec: {
                url: chartUrl,
                ref: { tag: chartVersion },
                interval: '10m',
              },
            }),
          },
          {
            client: appCluster.client,
            where: appWhere,
            ownership: 'exclusive',
            object: withManagedByLabel({
              apiVersion: 'helm.toolkit.fluxcd.io/v2',
              kind: 'HelmRelease',
              metadata: { name: names.helmRelease, namespace: flux.namespace },
              spec: {
                interval: '10m',
                chartRef: { kind: 'OCIRepository', name: names.ociRepository },
                releaseName,
                targetNamespace: installNs,
                storageNamespace: installNs,
                install: { createNamespace: true },
                values,
                valuesFrom: [
                  {
                    kind: 'Secret',
                    name: tokenSecretRef.name,
                    valuesKey: tokenSecretRef.key,
                    targetPath: connectorTokenPath(style),
                  },
                ],
              },
            }),
          },
        ];
      } else {
        const argocd = lookupArgoCdInstance(upbound, input.argocdInstance);
        const [registry, ...repoPath] = chartUrl
          .replace(/^oci:\/\//, '')
          .split('/');
        const chart = repoPath.pop()!;
        ctx.logger.warn(
          'The Argo CD Application carries no token: supply it to the chart out of band (e.g. a values file from a secret manager)',
        );
        release = [
          {
            client: appCluster.client,
            where: `Argo CD ${argocd.name}`,
            ownership: 'exclusive',
            object: withManagedByLabel({
              apiVersion: 'argoproj.io/v1alpha1',
              kind: 'Application',
              metadata: {
                name: `${releaseName}-${appCluster.name}`,
                namespace: argocd.namespace,
              },
              spec: {
                project: 'default',
                source: {
                  repoURL: [registry, ...repoPath].join('/'),
                  chart,
                  targetRevision: chartVersion,
                  helm: { releaseName, valuesObject: values },
                },
                destination: {
                  server: appCluster.server,
                  namespace: installNs,
                },
                syncPolicy: {
                  automated: { selfHeal: true },
                  syncOptions: ['CreateNamespace=true'],
                },
              },
            }),
          },
        ];
      }

      ctx.output('clusterId', clusterId);
      ctx.output('claimNamespace', input.claimNamespace);
      ctx.output('valueStyle', style);

      await runPlan(ctx, {
        mode,
        applySecrets: input.applySecrets,
        live,
        manifests: release,
        targetPath:
          input.targetPath ?? `clusters/${appCluster.name}/mcp-connector.yaml`,
        what: 'the MCP Connector manifests',
        checkpointPrefix: `upbound.connector.install.${appCluster.name}`,
      });
    },
  });
}
