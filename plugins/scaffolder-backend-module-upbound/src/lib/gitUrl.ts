import { InputError } from '@backstage/errors';

/**
 * Checks a Git URL an Argo CD or Flux connection will fetch from: `https://` or `ssh://` only
 * (plain http and git:// send everything in the clear; scp-like `git@host:path` hides the host),
 * on one of `upbound.gitops.allowedGitHosts` when configured. Returns the host (lower case).
 */
export function assertGitUrl(
  field: string,
  value: string,
  allowedHosts: string[] | undefined,
): string {
  // Messages never quote the URL: it could carry credentials.
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(
      `Invalid ${field}: expected an https:// or ssh:// URL (write scp-like git@host:path as ssh://git@host/path)`,
    );
  }
  if (url.password) {
    throw new InputError(
      `Invalid ${field}: credentials in the URL are not accepted; use a Secret`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'ssh:') {
    throw new InputError(
      `Invalid ${field}: only https:// and ssh:// Git URLs are accepted, got ${url.protocol}//`,
    );
  }
  const host = url.host.toLowerCase();
  if (allowedHosts && !allowedHosts.includes(host) && !allowedHosts.includes(url.hostname.toLowerCase())) {
    throw new InputError(
      `${field} host '${host}' is not allowed; allowed Git hosts (upbound.gitops.allowedGitHosts): ${
        allowedHosts.join(', ') || 'none'
      }`,
    );
  }
  return host;
}
