import fs from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import type { ClusterConnection } from './types';

/** A config error that names the key and the fix. @public */
export class UpboundConfigError extends Error {
  constructor(key: string, problem: string) {
    super(`${key} ${problem}`);
    this.name = 'UpboundConfigError';
  }
}

function readFile(key: string, path: string, what: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new UpboundConfigError(
      key,
      `points to a ${what} file that cannot be read (${
        (e as NodeJS.ErrnoException).code ?? 'error'
      }); check the path`,
    );
  }
}

function decode(data: string | undefined): string | undefined {
  return data ? Buffer.from(data, 'base64').toString('utf8') : undefined;
}

/** Inputs of a kubeconfig-based connection, with the config key they came from. */
export interface KubeconfigSource {
  /** Config key of the block (for example `upbound.spaces[0].hub`). */
  key: string;
  kubeconfig?: string;
  kubeconfigPath?: string;
  context?: string;
}

/**
 * Reads a kubeconfig (inline or file) into a static connection. Exec plugins and auth providers
 * are refused: the backend must not run binaries, and their tokens cannot be handed to Argo CD or
 * Flux. Errors name the key and never echo kubeconfig content.
 */
export function connectionFromKubeconfig(
  source: KubeconfigSource,
): ClusterConnection {
  const { key } = source;
  const text =
    source.kubeconfig ??
    readFile(`${key}.kubeconfigPath`, source.kubeconfigPath!, 'kubeconfig');
  const field =
    source.kubeconfig !== undefined
      ? `${key}.kubeconfig`
      : `${key}.kubeconfigPath`;
  const kc = new KubeConfig();
  try {
    kc.loadFromString(text);
  } catch (e) {
    // js-yaml errors quote the source; report only the position.
    const line = (e as { mark?: { line?: number } }).mark?.line;
    throw new UpboundConfigError(
      field,
      `is not a valid kubeconfig${
        line !== undefined ? ` (YAML error at line ${line + 1})` : ''
      }`,
    );
  }
  if (source.context) {
    if (!kc.getContextObject(source.context)) {
      throw new UpboundConfigError(
        `${key}.context`,
        `names context '${
          source.context
        }', which the kubeconfig does not have (it has: ${
          kc
            .getContexts()
            .map(c => c.name)
            .join(', ') || 'none'
        })`,
      );
    }
    kc.setCurrentContext(source.context);
  }
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  if (!cluster) {
    throw new UpboundConfigError(
      field,
      'has no current context with a cluster; set current-context or `context`',
    );
  }
  if (user?.exec || user?.authProvider) {
    throw new UpboundConfigError(
      field,
      `uses ${
        user.exec ? 'an exec credential plugin' : 'an auth-provider'
      } for user '${
        user.name
      }', which is not supported here; use a kubeconfig with a static token or client certificate (or set token)`,
    );
  }
  const caData =
    decode(cluster.caData) ??
    (cluster.caFile ? readFile(field, cluster.caFile, 'CA') : undefined);
  const certData =
    decode(user?.certData) ??
    (user?.certFile
      ? readFile(field, user.certFile, 'client certificate')
      : undefined);
  const keyData =
    decode(user?.keyData) ??
    (user?.keyFile ? readFile(field, user.keyFile, 'client key') : undefined);
  if (!user?.token && !(certData && keyData)) {
    throw new UpboundConfigError(
      field,
      `has no static credential for user '${
        user?.name ?? ''
      }'; add a token or client certificate`,
    );
  }
  return {
    server: cluster.server.replace(/\/+$/, ''),
    ...(caData ? { caData } : {}),
    ...(user?.token ? { token: user.token } : {}),
    ...(certData && keyData ? { certData, keyData } : {}),
    ...(cluster.skipTLSVerify ? { dangerouslySkipTLSVerify: true } : {}),
    ...(cluster.tlsServerName ? { tlsServerName: cluster.tlsServerName } : {}),
  };
}

/** Reads a CA from `caData` (PEM or base64 PEM) or `caFile`. */
export function readCa(
  key: string,
  caData?: string,
  caFile?: string,
): string | undefined {
  if (caData) {
    if (caData.includes('-----BEGIN')) return caData;
    const decoded = Buffer.from(caData, 'base64').toString('utf8');
    if (!decoded.includes('-----BEGIN')) {
      throw new UpboundConfigError(
        `${key}.caData`,
        'must be a PEM certificate (or base64 of one)',
      );
    }
    return decoded;
  }
  return caFile ? readFile(`${key}.caFile`, caFile, 'CA') : undefined;
}
