import type { ActionContext } from '@backstage/plugin-scaffolder-node';

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
