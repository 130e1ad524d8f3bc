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
import { parseConnectorChart } from '../lib/connectorChart';
import { connectorHelmCommand } from '../lib/connectorHelm';
import {
  CONNECTOR_CHART_URL,
  CONNECTOR_DEFAULT_CHART_VERSION,
  CONNECTOR_RELEASE_NAME,
} from '../lib/constants';
import { buildKubeconfig } from '../lib/kubeconfig';
import { stringify } from 'yaml';
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
 * Installs the MCP Connector into an app cluster, creating the claim namespace in the control plane
 * if missing. `installWith`: `flux` (OCIRepository or HelmRepository + HelmRelease, token from a
 * Secret), `argocd` (Application with the chart as Helm source + the repository Secret; the token in
 * a kubeconfig Secret of the installation namespace) or `helm` (a values file and the exact
 * `helm upgrade --install` command written to the workspace). Values follow the chart version.
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
      'Installs the MCP Connector into an app cluster (Flux HelmRelease, Argo CD Application, or a helm command and values file for a runbook) so its claims are stored in a control plane namespace',
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
              'Upbound organization for Upbound Cloud control planes (default: the credential\'s organization, else `upbound.organization`)',
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
            .describe(
              'The chart: an OCI URL (`oci://host/path/mcp-connector`, for mirrors), an HTTP Helm repository (the seed\'s `https://charts.upbound.io/beta`, with `chart`) or `upbound-beta/mcp-connector`',
            ),
        chart: z =>
          z
            .string()
            .optional()
            .describe('Chart name in an HTTP Helm repository (default `mcp-connector`)'),
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
        installWith: z =>
          z
            .enum(['flux', 'argocd', 'helm'])
            .optional()
            .describe(
              '`flux` (source + HelmRelease), `argocd` (Application with a Helm source + repository Secret) or `helm` (values file + `helm upgrade --install` command in the workspace). Default: `gitops`, else flux',
            ),
        gitops: z =>
          z
            .enum(['flux', 'argocd'])
            .optional()
            .describe('Older name of `installWith` (flux or argocd)'),
        tokenIn: z =>
          z
            .enum(['values', 'kubeconfigSecret'])
            .optional()
            .describe(
              '`values`: the token goes into the chart values (`upbound.token` / `mcp.token`); `kubeconfigSecret`: a kubeconfig Secret of the control plane in the installation namespace (`spaces.controlPlane.kubeconfigSecret` / `mcp.secret`; self-hosted Spaces). Default: kubeconfigSecret for argocd, else values',
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
            'An existing Secret in the app cluster: with tokenIn `values`, in the Flux namespace holding the token (key default `token`); with `kubeconfigSecret`, in the installation namespace holding the control plane kubeconfig (key default `kubeconfig`). Nothing secret is written then',
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
        helmCommand: z =>
          z
            .string()
            .optional()
            .describe('installWith helm: the `helm upgrade --install` command (no token in it)'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const mode = input.mode ?? 'apply';
      const installWith = input.installWith ?? input.gitops ?? 'flux';
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
      const chart = parseConnectorChart({
        chartUrl: input.chartUrl ?? CONNECTOR_CHART_URL,
        chart: input.chart,
        version: chartVersion,
      });
      if (chart.kind === 'http' && style === 'docs') {
        ctx.logger.warn(
          `Chart ${chartVersion} from the HTTP repository ${chart.url}: Upbound publishes 0.7.0 and later as OCI only`,
        );
      }
      const tokenIn =
        input.tokenIn ?? (installWith === 'argocd' ? 'kubeconfigSecret' : 'values');
      if (installWith === 'argocd' && tokenIn === 'values') {
        throw new InputError(
          'installWith argocd needs tokenIn kubeconfigSecret: an Argo CD Application cannot read chart values from a Secret, and the token never goes into the Application',
        );
      }
      if (installWith === 'helm' && mode !== 'manifest') {
        throw new InputError(
          'installWith helm needs mode manifest: the values file and the helm command are written to the workspace (the backend does not run helm)',
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
      if (controlPlane.source === 'cloud' && tokenIn === 'kubeconfigSecret') {
        throw new InputError(
          `control plane ${controlPlane.id} is on Upbound Cloud: the connector exchanges a token from the chart values there (tokenIn values, with installWith flux or helm); the kubeconfig Secret form is for self-hosted Spaces`,
        );
      }
      const { clusterId, flux } = await lookupConnectorAppCluster(
        upbound,
        appCluster,
        { ...input, needFlux: installWith === 'flux' },
      );
      if (installWith === 'flux' && flux!.appCluster !== appCluster.name) {
        throw new InputError(
          `fluxInstance '${flux!.name}' runs in app cluster '${flux!.appCluster}', not in '${appCluster.name}'`,
        );
      }
      const argocd =
        installWith === 'argocd'
          ? lookupArgoCdInstance(upbound, input.argocdInstance)
          : undefined;

      const names = connectorObjectNames(releaseName);
      const appWhere = `app cluster ${appCluster.name}`;
      // Where a token Secret lives: beside the HelmRelease (Flux reads it), or beside the connector.
      const secretNs = tokenIn === 'kubeconfigSecret' || !flux ? installNs : flux.namespace;
      // helm with the token in the values: the person running the command supplies it.
      const needsCredential = !(installWith === 'helm' && tokenIn === 'values');
      const chosen = needsCredential
        ? await chooseCredential(ctx, {
            upbound,
            handoff,
            controlPlane,
            input: input.credential,
            policy: {
              secretRef:
                tokenIn === 'kubeconfigSecret'
                  ? `an existing Secret in ${installNs} of app cluster ${appCluster.name} holding the control plane kubeconfig`
                  : `an existing Secret in ${secretNs} of app cluster ${appCluster.name} holding the token`,
            },
          })
        : undefined;
      // A credential the user did not type in goes only to the Upbound chart: another chart URL
      // could template the token anywhere.
      if (chosen?.kind === 'token' && chosen.source !== 'task-secret' && !chart.upbound) {
        throw new InputError(
          `chartUrl '${chart.url}' is not the Upbound connector chart (${CONNECTOR_CHART_URL}); ${chosen.label} is handed only to that chart. Give your own token (credential.token) for a mirror`,
        );
      }
      const account =
        input.account ||
        (chosen?.kind === 'token' ? chosen.organization : undefined) ||
        handoff.organization;
      if (controlPlane.source === 'cloud' && !account) {
        throw new InputError(
          'account is required for Upbound Cloud control planes: give it, or set upbound.organization',
        );
      }
      const defaultKey = tokenIn === 'kubeconfigSecret' ? 'kubeconfig' : 'token';
      const secretName =
        tokenIn === 'kubeconfigSecret' ? names.kubeconfigSecret : names.valuesSecret;
      const tokenSecretRef =
        chosen?.kind === 'secretRef'
          ? { name: chosen.name, key: chosen.key ?? defaultKey }
          : { name: secretName, key: defaultKey };

      const values = connectorValues({
        style,
        account: controlPlane.source === 'cloud' ? account : input.account,
        controlPlane,
        server: controlPlane.server,
        claimNamespace: input.claimNamespace,
        clusterId,
        ...(tokenIn === 'kubeconfigSecret' ? { kubeconfigSecret: tokenSecretRef } : {}),
      });

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
          `The connector gets ${chosen.label} in Secret ${secretNs}/${secretName}`,
        );
        if (tokenIn === 'kubeconfigSecret') {
          live.push({
            client: appCluster.client,
            where: appWhere,
            ownership: 'createIfMissing',
            object: withManagedByLabel({
              apiVersion: 'v1',
              kind: 'Namespace',
              metadata: { name: installNs },
            }),
          });
        }
        live.push({
          client: appCluster.client,
          where: appWhere,
          ownership: 'exclusive',
          object: opaqueSecret({
            name: secretName,
            namespace: secretNs,
            values: {
              [defaultKey]:
                tokenIn === 'kubeconfigSecret'
                  ? buildKubeconfig({
                      name: controlPlane.name,
                      server: controlPlane.server,
                      caData: controlPlane.caData,
                      token: chosen.token,
                    })
                  : chosen.token,
            },
          }),
        });
      } else if (chosen?.kind === 'secretRef') {
        const secretType = await appCluster.client.resolve('v1', 'Secret');
        const existing = await appCluster.client.tryGet(
          secretType,
          chosen.name,
          secretNs,
        );
        if (!(existing as any)?.data?.[tokenSecretRef.key]) {
          throw new InputError(
            `credential.secretRef: Secret ${secretNs}/${chosen.name} with key ${tokenSecretRef.key} does not exist in ${appWhere}`,
          );
        }
      }

      ctx.output('clusterId', clusterId);
      ctx.output('claimNamespace', input.claimNamespace);
      ctx.output('valueStyle', style);

      const targetPath =
        input.targetPath ??
        `clusters/${appCluster.name}/${
          installWith === 'helm' ? 'mcp-connector-values.yaml' : 'mcp-connector.yaml'
        }`;
      if (installWith === 'helm') {
        const command = connectorHelmCommand({
          chart,
          releaseName,
          namespace: installNs,
          valuesFile: targetPath,
          tokenPath: tokenIn === 'values' ? connectorTokenPath(style) : undefined,
        });
        ctx.output('helmCommand', command);
        const scriptPath = targetPath.replace(/[^/]*$/, `install-${releaseName}.sh`);
        await runPlan(ctx, {
          mode,
          applySecrets: input.applySecrets,
          live,
          manifests: [],
          targetPath,
          files: [
            { targetPath, text: stringify(values) },
            {
              targetPath: scriptPath,
              text: [
                '#!/bin/sh',
                `# Installs the MCP Connector into app cluster ${appCluster.name} (kubectl context of that cluster).`,
                `# Claims are stored in namespace ${input.claimNamespace} of control plane ${controlPlane.id}.`,
                ...(tokenIn === 'values'
                  ? ['# UPBOUND_TOKEN_FILE: a file holding a robot token or personal access token.']
                  : [`# The control plane kubeconfig is in Secret ${installNs}/${tokenSecretRef.name}.`]),
                '# Run from the repository root.',
                'set -eu',
                command,
                '',
              ].join('\n'),
            },
          ],
          what: 'the MCP Connector values and helm command',
          checkpointPrefix: `upbound.connector.install.${appCluster.name}`,
        });
        return;
      }

      let release: PlannedObject[];
      if (installWith === 'flux') {
        const sourceKind = chart.kind === 'oci' ? 'OCIRepository' : 'HelmRepository';
        release = [
          {
            client: appCluster.client,
            where: appWhere,
            ownership: 'exclusive',
            object: withManagedByLabel(
              chart.kind === 'oci'
                ? {
                    apiVersion: 'source.toolkit.fluxcd.io/v1',
                    kind: 'OCIRepository',
                    metadata: { name: names.ociRepository, namespace: flux!.namespace },
                    spec: { url: chart.url, ref: { tag: chartVersion }, interval: '10m' },
                  }
                : {
                    apiVersion: 'source.toolkit.fluxcd.io/v1',
                    kind: 'HelmRepository',
                    metadata: { name: names.ociRepository, namespace: flux!.namespace },
                    spec: { url: chart.url, interval: '10m' },
                  },
            ),
          },
          {
            client: appCluster.client,
            where: appWhere,
            ownership: 'exclusive',
            object: withManagedByLabel({
              apiVersion: 'helm.toolkit.fluxcd.io/v2',
              kind: 'HelmRelease',
              metadata: { name: names.helmRelease, namespace: flux!.namespace },
              spec: {
                interval: '10m',
                ...(chart.kind === 'oci'
                  ? { chartRef: { kind: sourceKind, name: names.ociRepository } }
                  : {
                      chart: {
                        spec: {
                          chart: chart.chart,
                          version: chartVersion,
                          sourceRef: { kind: sourceKind, name: names.ociRepository },
                        },
                      },
                    }),
                releaseName,
                targetNamespace: installNs,
                storageNamespace: installNs,
                install: { createNamespace: true },
                values,
                ...(tokenIn === 'values'
                  ? {
                      valuesFrom: [
                        {
                          kind: 'Secret',
                          name: tokenSecretRef.name,
                          valuesKey: tokenSecretRef.key,
                          targetPath: connectorTokenPath(style),
                        },
                      ],
                    }
                  : {}),
              },
            }),
          },
        ];
      } else {
        const argoClient = upbound.appCluster(argocd!.appCluster).client;
        const argoWhere = `Argo CD ${argocd!.name}`;
        release = [
          {
            // What Argo CD needs to pull the chart: a helm repository, OCI-enabled for oci:// charts.
            // It holds no credential (the Upbound registry is public), so it can go into Git.
            client: argoClient,
            where: argoWhere,
            ownership: 'exclusive',
            object: opaqueSecret({
              name: names.argoRepositorySecret,
              namespace: argocd!.namespace,
              labels: { 'argocd.argoproj.io/secret-type': 'repository' },
              values: {
                type: 'helm',
                name: `${releaseName}-chart`,
                url: chart.argoRepoUrl,
                ...(chart.kind === 'oci' ? { enableOCI: 'true' } : {}),
              },
            }),
          },
          {
            client: argoClient,
            where: argoWhere,
            ownership: 'exclusive',
            object: withManagedByLabel({
              apiVersion: 'argoproj.io/v1alpha1',
              kind: 'Application',
              metadata: {
                name: names.argoApplication(appCluster.name),
                namespace: argocd!.namespace,
              },
              spec: {
                project: 'default',
                source: {
                  repoURL: chart.argoRepoUrl,
                  chart: chart.chart,
                  targetRevision: chartVersion,
                  helm: { releaseName, valuesObject: values },
                },
                destination: {
                  // Argo CD reaches its own cluster in-cluster (or as configured when it runs outside
                  // it); another app cluster must be registered with it under its API server URL.
                  server:
                    argocd!.appCluster === appCluster.name
                      ? argocd!.appClusterServer ?? 'https://kubernetes.default.svc'
                      : appCluster.server,
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

      await runPlan(ctx, {
        mode,
        applySecrets: input.applySecrets,
        live,
        manifests: release,
        targetPath,
        what: 'the MCP Connector manifests',
        checkpointPrefix: `upbound.connector.install.${appCluster.name}`,
      });
    },
  });
}
