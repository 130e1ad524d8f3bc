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

export const tokenSecretInput = (z: Z) =>
  z
    .string()
    .optional()
    .describe(
      'Name of a task secret (`secrets.<name>`, collected with a Secret field) holding the token handed on; default: the control plane credentials of the Upbound plugin',
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
