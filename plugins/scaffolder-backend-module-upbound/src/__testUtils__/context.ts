import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';

/** A permissions service that answers every request with `result`. */
export function permissionsAnswering(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  return mockServices.permissions.mock({
    authorize: jest.fn(async requests => requests.map(() => ({ result }))) as any,
  });
}

/** An action context whose outputs land in `outputs` and whose log lines are captured. */
export function actionContext<TInput>(
  input: TInput,
  options?: {
    isDryRun?: boolean;
    secrets?: Record<string, string>;
    workspacePath?: string;
  },
) {
  const outputs: Record<string, unknown> = {};
  const logger = mockServices.logger.mock();
  // Actions only write here in manifest mode; those tests pass a createMockDirectory() path.
  const workspacePath = options?.workspacePath ?? '/nonexistent-workspace';
  // createMockActionContext ignores `output` and `isDryRun`, so they are set afterwards.
  const ctx = {
    ...createMockActionContext({
      input: input as any,
      logger,
      secrets: options?.secrets,
      workspacePath,
    }),
    isDryRun: options?.isDryRun,
    output: jest.fn((name: string, value: unknown) => {
      outputs[name] = value;
    }) as any,
  };
  const logText = () =>
    [
      ...logger.info.mock.calls,
      ...logger.warn.mock.calls,
      ...logger.error.mock.calls,
      ...logger.debug.mock.calls,
    ]
      .map(c => c.map(a => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '))
      .join('\n');
  return { ctx, outputs, logger, logText, workspacePath };
}
