import { InputError } from '@backstage/errors';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import {
  credentialScopeMatches,
  describeCredentialScope,
  UpboundCloudAuth,
  type ControlPlane,
  type CredentialHandoffConfig,
  type UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import { maskSecret } from './secrets';
import { assertDnsSubdomain } from './validation';

/** The `credential` input every connect action and the kubeconfig action take. */
export interface CredentialInput {
  /** A scaffolder secret, `${{ secrets.<name> }}`. */
  token?: string;
  /** A name from `upbound.gitopsCredentials`. */
  gitopsCredential?: string;
  /** An existing Secret in the app cluster. */
  secretRef?: { name: string; key?: string };
}

/** Where the handed-out credential came from (for logs: never the value). */
export type CredentialSource =
  | 'task-secret'
  | 'gitops-credential'
  | 'service-credential';

/** A token chosen for a control plane. */
export interface ChosenToken {
  kind: 'token';
  token: string;
  source: CredentialSource;
  /** For log lines: `the scaffolder secret`, `GitOps credential team-a-robot`, ... */
  label: string;
  /** Upbound organization, for Cloud control planes. */
  organization?: string;
  /** Known expiry (the service credential on Upbound Cloud). */
  expiresAt?: Date;
}

/** A Secret that already exists in the app cluster. */
export interface ChosenSecretRef {
  kind: 'secretRef';
  name: string;
  key?: string;
  label: string;
}

export type ChosenCredential = ChosenToken | ChosenSecretRef;

/** What an action may accept, and how to phrase the advice. */
export interface CredentialPolicy {
  /** Accept `credential.secretRef`, and what it must name (for the error message). */
  secretRef?: string;
  /**
   * Refuse `credential.gitopsCredential`, with this reason: where the value ends up in a step
   * output, a later step could log it, and the scaffolder redacts only the task's own secrets.
   */
  noNamedCredential?: string;
}

function howToProvide(
  handoff: CredentialHandoffConfig,
  cp: ControlPlane,
  policy: CredentialPolicy,
): string {
  const named = handoff.gitopsCredentials
    .filter(c => credentialScopeMatches(c, cp))
    .map(c => c.name);
  return [
    'credential.token: a scaffolder secret (collect it with a `ui:field: Secret` parameter and pass `${{ secrets.<name> }}`)',
    ...(policy.noNamedCredential
      ? []
      : [
          `credential.gitopsCredential: ${
            named.length
              ? `one of ${named.join(', ')}`
              : 'a name under upbound.gitopsCredentials (none is configured for this control plane)'
          }`,
        ]),
    ...(policy.secretRef ? [`credential.secretRef: ${policy.secretRef}`] : []),
  ].join('; or ');
}

/**
 * The credential an action hands to Argo CD, Flux, the connector or a kubeconfig: never the
 * backend's own, unless `upbound.dangerouslyUseServiceCredential` is on (development only). The
 * value is registered with the step's log redactions.
 */
export async function chooseCredential(
  ctx: Pick<ActionContext<any, any>, 'secrets' | 'logger'>,
  options: {
    upbound: UpboundService;
    handoff: CredentialHandoffConfig;
    controlPlane: ControlPlane;
    input: CredentialInput | undefined;
    policy?: CredentialPolicy;
  },
): Promise<ChosenCredential> {
  const { upbound, handoff, controlPlane: cp, input } = options;
  const policy = options.policy ?? {};
  const given = (['token', 'gitopsCredential', 'secretRef'] as const).filter(
    k => input?.[k] !== undefined && input?.[k] !== '',
  );
  if (given.length > 1) {
    throw new InputError(
      `Give one credential, not ${given.map(k => `credential.${k}`).join(' and ')}`,
    );
  }

  if (input?.token) {
    const token = input.token;
    // Only a task secret is kept out of the stored parameters, logs and outputs.
    if (!Object.values(ctx.secrets ?? {}).includes(token)) {
      throw new InputError(
        'credential.token must be a scaffolder secret: collect it with a `ui:field: Secret` parameter and pass `${{ secrets.<name> }}`; a plain parameter is stored with the task',
      );
    }
    maskSecret(ctx.logger, token);
    return {
      kind: 'token',
      token,
      source: 'task-secret',
      label: 'the scaffolder secret',
      ...(handoff.organization ? { organization: handoff.organization } : {}),
    };
  }

  if (input?.gitopsCredential) {
    const name = input.gitopsCredential;
    if (policy.noNamedCredential) {
      throw new InputError(
        `credential.gitopsCredential is not accepted by this action: ${policy.noNamedCredential}`,
      );
    }
    const found = handoff.gitopsCredentials.find(c => c.name === name);
    if (!found) {
      const known = handoff.gitopsCredentials.map(c => c.name);
      throw new InputError(
        `Unknown credential.gitopsCredential '${name}'; ${
          known.length
            ? `configured: ${known.join(', ')}`
            : 'none is configured under upbound.gitopsCredentials'
        }`,
      );
    }
    if (!credentialScopeMatches(found, cp)) {
      throw new InputError(
        `GitOps credential '${name}' may not be used for control plane ${cp.id}: it is limited to ${describeCredentialScope(found)}`,
      );
    }
    maskSecret(ctx.logger, found.token);
    const organization = found.organization ?? handoff.organization;
    return {
      kind: 'token',
      token: found.token,
      source: 'gitops-credential',
      label: `GitOps credential ${name}`,
      ...(organization ? { organization } : {}),
    };
  }

  if (input?.secretRef) {
    if (!policy.secretRef) {
      throw new InputError(
        'credential.secretRef is not supported by this action; give credential.token or credential.gitopsCredential',
      );
    }
    assertDnsSubdomain('credential.secretRef.name', input.secretRef.name);
    if (input.secretRef.key !== undefined && !/^[-._a-zA-Z0-9]+$/.test(input.secretRef.key)) {
      throw new InputError(
        `Invalid credential.secretRef.key '${input.secretRef.key}': letters, digits, '-', '_' and '.' only`,
      );
    }
    return {
      kind: 'secretRef',
      name: input.secretRef.name,
      ...(input.secretRef.key ? { key: input.secretRef.key } : {}),
      label: `Secret ${input.secretRef.name}`,
    };
  }

  if (handoff.dangerouslyUseServiceCredential) {
    const credentials = await upbound.controlPlaneCredentials(cp.id);
    maskSecret(ctx.logger, credentials.bearerToken);
    ctx.logger.warn(
      `No credential given: handing out the backend's own credential for ${cp.id} because upbound.dangerouslyUseServiceCredential is on (development only; it reaches every control plane the backend reaches${
        credentials.expiresAt
          ? ` and expires at ${credentials.expiresAt.toISOString()}`
          : ''
      })`,
    );
    return {
      kind: 'token',
      token: credentials.bearerToken,
      source: 'service-credential',
      label: "the backend's own credential",
      ...(handoff.organization ? { organization: handoff.organization } : {}),
      ...(credentials.expiresAt ? { expiresAt: credentials.expiresAt } : {}),
    };
  }

  throw new InputError(
    `No credential for control plane ${cp.id}: the backend never hands out its own. Give ${howToProvide(
      handoff,
      cp,
      policy,
    )}`,
  );
}

/**
 * A bearer token for a static kubeconfig. On Upbound Cloud a personal access or robot token is
 * not accepted by the Space ingress: it is exchanged for an org-scoped token here (which expires
 * within minutes; fine for the steps of one task, never for a long-lived connection).
 */
export async function bearerFor(
  chosen: ChosenToken,
  cp: ControlPlane,
  handoff: CredentialHandoffConfig,
): Promise<{ token: string; expiresAt?: Date }> {
  if (cp.source !== 'cloud' || chosen.source === 'service-credential') {
    return {
      token: chosen.token,
      ...(chosen.expiresAt ? { expiresAt: chosen.expiresAt } : {}),
    };
  }
  if (!chosen.organization) {
    throw new InputError(
      `Control plane ${cp.id} is on Upbound Cloud: set upbound.organization (or the credential's organization) to exchange ${chosen.label}`,
    );
  }
  const auth = new UpboundCloudAuth({
    organization: chosen.organization,
    token: chosen.token,
    endpoints: { api: handoff.authEndpoint, auth: handoff.authEndpoint },
  });
  const token = await auth.orgToken();
  const expiresAt = auth.orgTokenExpiresAt();
  return { token, ...(expiresAt ? { expiresAt } : {}) };
}
