import type { Config } from '@backstage/config';
import { UpboundConfigError } from './loadConnection';

/**
 * A named credential that scaffolder actions may hand to Argo CD, Flux, the MCP Connector or a
 * kubeconfig, limited to some Spaces, groups or control planes (for example an Upbound robot
 * token whose team has roles on those control planes only). Holds a secret: never log it.
 * @public
 */
export interface GitOpsCredentialConfig {
  name: string;
  description?: string;
  /** Upbound robot token or personal access token, or a bearer token of a self-hosted Space. */
  token: string;
  /** Upbound organization (Cloud control planes); default `upbound.organization`. */
  organization?: string;
  /** Where it may be used; a control plane must match every list that is not empty. */
  scope: { spaces: string[]; groups: string[]; controlPlanes: string[] };
}

/** How scaffolder actions pick the credentials they hand out. @public */
export interface CredentialHandoffConfig {
  gitopsCredentials: GitOpsCredentialConfig[];
  /** Hosts (`host` or `host:port`, lower case) Git URLs must use; undefined: any https/ssh host. */
  allowedGitHosts?: string[];
  /** Development only: hand out the backend's own control plane credential when none is chosen. */
  dangerouslyUseServiceCredential: boolean;
  /** `upbound.organization`, for Cloud token exchanges and `up` exec configs. */
  organization?: string;
  /** `upbound.endpoints.auth`. */
  authEndpoint: string;
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HOST = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d{1,5})?$/;

function list(c: Config | undefined, key: string): string[] {
  return c?.getOptionalStringArray(key) ?? [];
}

/**
 * Reads `upbound.gitopsCredentials`, `upbound.gitops.allowedGitHosts` and
 * `upbound.dangerouslyUseServiceCredential` once, at startup. Errors name the key, never a token.
 * @public
 */
export function readCredentialHandoffConfig(
  root: Config,
): CredentialHandoffConfig {
  const c = root.getOptionalConfig('upbound');
  const seen = new Set<string>();
  const gitopsCredentials = (
    c?.getOptionalConfigArray('gitopsCredentials') ?? []
  ).map((g, i) => {
    const key = `upbound.gitopsCredentials[${i}]`;
    const name = g.getString('name');
    if (!NAME.test(name) || name.length > 63) {
      throw new UpboundConfigError(
        `${key}.name`,
        `must be a lower-case DNS label (a-z, 0-9, '-'), got '${name}'`,
      );
    }
    if (seen.has(name)) {
      throw new UpboundConfigError(
        `${key}.name`,
        `'${name}' is used twice; names must be unique`,
      );
    }
    seen.add(name);
    const token = g.getOptionalString('token');
    if (!token) {
      throw new UpboundConfigError(
        `${key}.token`,
        'is required (a robot token, personal access token or Space bearer token)',
      );
    }
    const scopeConfig = g.getOptionalConfig('scope');
    const scope = {
      spaces: list(scopeConfig, 'spaces'),
      groups: list(scopeConfig, 'groups'),
      controlPlanes: list(scopeConfig, 'controlPlanes'),
    };
    if (
      !scope.spaces.length &&
      !scope.groups.length &&
      !scope.controlPlanes.length
    ) {
      throw new UpboundConfigError(
        `${key}.scope`,
        'must name at least one of spaces, groups or controlPlanes: a credential is never valid everywhere',
      );
    }
    const description = g.getOptionalString('description');
    const organization = g.getOptionalString('organization');
    return {
      name,
      token,
      scope,
      ...(description ? { description } : {}),
      ...(organization ? { organization } : {}),
    };
  });
  const hosts = c?.getOptionalStringArray('gitops.allowedGitHosts');
  hosts?.forEach((h, i) => {
    if (!HOST.test(h.toLowerCase())) {
      throw new UpboundConfigError(
        `upbound.gitops.allowedGitHosts[${i}]`,
        `must be a host or host:port without scheme or path, got '${h}'`,
      );
    }
  });
  const organization = c?.getOptionalString('organization');
  return {
    gitopsCredentials,
    ...(hosts ? { allowedGitHosts: hosts.map(h => h.toLowerCase()) } : {}),
    dangerouslyUseServiceCredential:
      c?.getOptionalBoolean('dangerouslyUseServiceCredential') ?? false,
    ...(organization ? { organization } : {}),
    authEndpoint: (
      c?.getOptionalString('endpoints.auth') ?? 'https://auth.upbound.io'
    ).replace(/\/+$/, ''),
  };
}

/** True when a named credential may be used for this control plane. @public */
export function credentialScopeMatches(
  credential: Pick<GitOpsCredentialConfig, 'scope'>,
  cp: { id: string; space?: string; group?: string },
): boolean {
  const { spaces, groups, controlPlanes } = credential.scope;
  return (
    (!spaces.length || (!!cp.space && spaces.includes(cp.space))) &&
    (!groups.length || (!!cp.group && groups.includes(cp.group))) &&
    (!controlPlanes.length || controlPlanes.includes(cp.id))
  );
}

/** Human-readable scope, e.g. `Spaces local; groups team-a`. @public */
export function describeCredentialScope(
  credential: Pick<GitOpsCredentialConfig, 'scope'>,
): string {
  const { spaces, groups, controlPlanes } = credential.scope;
  return [
    spaces.length ? `Spaces ${spaces.join(', ')}` : '',
    groups.length ? `groups ${groups.join(', ')}` : '',
    controlPlanes.length ? `control planes ${controlPlanes.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}
