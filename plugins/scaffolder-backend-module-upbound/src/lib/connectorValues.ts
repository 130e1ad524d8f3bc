import { InputError } from '@backstage/errors';

/**
 * Which value keys an mcp-connector chart version reads: before 0.8 the keys the `up` CLI writes
 * (`mcp.*`); from 0.8 the documented `upbound.*` / `spaces.*` keys and `clusterID`.
 */
export type ConnectorValueStyle = 'cli' | 'docs';

/** The value style of a chart version; InputError naming `chartVersion` when it is not a version. */
export function connectorValueStyle(chartVersion: string): ConnectorValueStyle {
  const match = /^v?(\d+)\.(\d+)\.(\d+)([-+][0-9A-Za-z.-]+)?$/.exec(chartVersion);
  if (!match) {
    throw new InputError(
      `Invalid chartVersion '${chartVersion}': expected a version like 0.10.0`,
    );
  }
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major === 0 && minor < 8 ? 'cli' : 'docs';
}

/** Where the token goes in the values of a style (used as a Flux valuesFrom targetPath). */
export function connectorTokenPath(style: ConnectorValueStyle): string {
  return style === 'cli' ? 'mcp.token' : 'upbound.token';
}

/** Values of the mcp-connector chart without the token (it comes from a Secret). */
export function connectorValues(options: {
  style: ConnectorValueStyle;
  account?: string;
  controlPlane: { name: string; group?: string };
  /** Scheme and host of the Space ingress, from the control plane URL. */
  server: string;
  claimNamespace: string;
  clusterId: string;
  /**
   * The control plane kubeconfig in a Secret of the installation namespace instead of a token:
   * `mcp.secret` (the CLI's `--control-plane-secret`) or `spaces.controlPlane.kubeconfigSecret`
   * (the self-hosted/disconnected Spaces docs).
   */
  kubeconfigSecret?: { name: string; key: string };
}): Record<string, unknown> {
  const url = new URL(options.server);
  if (options.style === 'cli') {
    return {
      mcp: {
        ...(options.account ? { account: options.account } : {}),
        name: options.controlPlane.name,
        namespace: options.claimNamespace,
        host: url.origin,
        ...(options.kubeconfigSecret
          ? { secret: { name: options.kubeconfigSecret.name, provision: false } }
          : {}),
      },
    };
  }
  return {
    ...(options.account ? { upbound: { account: options.account } } : {}),
    spaces: {
      host: url.host,
      insecureSkipTLSVerify: false,
      controlPlane: {
        name: options.controlPlane.name,
        ...(options.controlPlane.group ? { group: options.controlPlane.group } : {}),
        claimNamespace: options.claimNamespace,
        ...(options.kubeconfigSecret ? { kubeconfigSecret: options.kubeconfigSecret } : {}),
      },
    },
    clusterID: options.clusterId,
  };
}
