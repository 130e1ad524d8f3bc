import type { z as zod } from 'zod/v3';

/** The zod instance the scaffolder hands to schema callbacks. */
type Z = typeof zod;

export const controlPlaneInput = (z: Z) =>
  z
    .string()
    .min(1)
    .describe(
      'Control plane id, e.g. `space/local/platform/ctp-a` (what the UpboundControlPlanePicker field returns)',
    );

export const modeInput = (z: Z) =>
  z
    .enum(['apply', 'manifest'])
    .default('apply')
    .describe(
      '`apply` writes to the clusters with server-side apply; `manifest` writes YAML into the workspace for a `publish:*` step to open a pull request',
    );

export const targetPathInput = (z: Z, example: string) =>
  z
    .string()
    .optional()
    .describe(
      `Manifest mode: file to write, relative to the workspace (default \`${example}\`)`,
    );

/**
 * The credential handed on (to Argo CD, Flux, the connector or a kubeconfig). Exactly one source;
 * the backend's own credential is never used unless `upbound.dangerouslyUseServiceCredential`.
 */
export const credentialInput = (z: Z, secretRef?: string) =>
  z
    .object({
      token: z
        .string()
        .optional()
        .describe(
          'A scaffolder secret: `${{ secrets.<name> }}` from a `ui:field: Secret` parameter (a robot token or personal access token; never a plain parameter)',
        ),
      gitopsCredential: z
        .string()
        .optional()
        .describe(
          'Name of a credential from `upbound.gitopsCredentials` (limited to some Spaces, groups or control planes)',
        ),
      secretRef: z
        .object({
          name: z.string().describe('Secret name'),
          key: z.string().optional().describe('Key in the Secret'),
        })
        .optional()
        .describe(secretRef ?? 'Not supported by this action'),
    })
    .optional()
    .describe(
      `Credential handed on, exactly one of: token (a scaffolder secret), gitopsCredential (a named credential from config)${
        secretRef ? ', secretRef (an existing Secret)' : ''
      }`,
    );

export const manifestPathOutput = (z: Z) =>
  z.string().optional().describe('Manifest mode: the file written, relative to the workspace');

export const applySecretsInput = (z: Z) =>
  z
    .boolean()
    .default(true)
    .describe(
      'Manifest mode: still apply the objects that hold credentials (and shared settings) directly, since they never go into Git; `false` writes only the manifests',
    );

export const appClusterInput = (z: Z) =>
  z
    .string()
    .min(1)
    .describe('App cluster name from `upbound.appClusters` (what the UpboundAppClusterPicker field returns)');

export const claimNamespaceInput = (z: Z) =>
  z
    .string()
    .min(1)
    .describe('Namespace in the control plane where the app cluster\'s claims are stored');

export const clusterIdInput = (z: Z) =>
  z
    .string()
    .optional()
    .describe('Connector cluster id of the app cluster (default: `clusterId` of the app cluster in config)');

/** Inputs naming a connector's place: app cluster, control plane, claim namespace and cluster id. */
export const connectorTargetInputs = {
  appCluster: appClusterInput,
  controlPlane: controlPlaneInput,
  claimNamespace: claimNamespaceInput,
  clusterId: clusterIdInput,
};
