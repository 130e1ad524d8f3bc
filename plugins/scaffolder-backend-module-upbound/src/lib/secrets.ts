import { InputError } from '@backstage/errors';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { UpboundService } from '@upbound-backstage/plugin-upbound-node';

/**
 * Registers a secret value with the task logger's redaction list, so it is replaced by `***` in
 * this step's log lines and error messages. The scaffolder's task logger has `addRedactions`;
 * other loggers (tests, dry-run) simply don't.
 */
export function maskSecret(
  logger: ActionContext<any, any>['logger'],
  ...values: Array<string | undefined>
): void {
  const redactable = logger as unknown as {
    addRedactions?: (values: Iterable<string>) => void;
  };
  const secrets = values.filter((v): v is string => !!v && v.length >= 4);
  if (typeof redactable.addRedactions === 'function' && secrets.length) {
    redactable.addRedactions(secrets);
  }
}

/** A bearer token for a control plane and where it came from (never the token in messages). */
export interface ResolvedToken {
  token: string;
  source: 'task-secret' | 'control-plane-credentials';
  expiresAt?: Date;
}

/**
 * The token handed to Argo CD, Flux or the connector: a task secret named by the template
 * (`${{ secrets.* }}` collected from the user) when given, else the control plane credentials of
 * the access layer. The value is masked in this step's logs either way.
 */
export async function resolveToken(
  ctx: Pick<ActionContext<any, any>, 'secrets' | 'logger'>,
  upbound: UpboundService,
  controlPlaneId: string,
  tokenSecret: string | undefined,
): Promise<ResolvedToken> {
  if (tokenSecret) {
    const token = ctx.secrets?.[tokenSecret];
    if (!token) {
      throw new InputError(
        `tokenSecret '${tokenSecret}' names no secret of this task; collect it in the template with a secret field (ui:field: Secret)`,
      );
    }
    maskSecret(ctx.logger, token);
    return { token, source: 'task-secret' };
  }
  const credentials = await upbound.controlPlaneCredentials(controlPlaneId);
  maskSecret(ctx.logger, credentials.bearerToken);
  return {
    token: credentials.bearerToken,
    source: 'control-plane-credentials',
    expiresAt: credentials.expiresAt,
  };
}
