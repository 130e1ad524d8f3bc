import { mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type { CredentialHandoffConfig } from '@upbound-backstage/plugin-upbound-node';
import { CP_ID } from './fakeUpbound';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';

/** A permissions service that answers every request with `result`. */
export function permissionsAnswering(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  return permissionsDeciding(() => ({ result }));
}

/** A permissions service whose decision (possibly conditional) comes from `decide`. */
export function permissionsDeciding(decide: (permissionName: string) => PolicyDecision) {
  return mockServices.permissions.mock({
    authorize: jest.fn(async requests =>
      requests.map((r: any) => {
        const d = decide(r.permission.name);
        return { result: d.result === AuthorizeResult.ALLOW ? d.result : AuthorizeResult.DENY };
      }),
    ) as any,
    authorizeConditional: jest.fn(async requests =>
      requests.map((r: any) => decide(r.permission.name)),
    ) as any,
  });
}

/** The robot token of the named credential `ctp-a-robot` (limited to CP_ID). */
export const ROBOT_TOKEN = 'robot-token-ctp-a-0123456789';
/** A token the tests pass as a scaffolder secret. */
export const USER_SECRET_TOKEN = 'user-secret-token-9876543210';

/** How the actions pick credentials: one named credential for CP_ID, no service credential. */
export function testHandoff(
  overrides: Partial<CredentialHandoffConfig> = {},
): CredentialHandoffConfig {
  return {
    gitopsCredentials: [
      {
        name: 'ctp-a-robot',
        token: ROBOT_TOKEN,
        scope: { spaces: [], groups: [], controlPlanes: [CP_ID] },
      },
      {
        name: 'team-b-robot',
        token: 'robot-token-team-b',
        scope: { spaces: [], groups: ['team-b'], controlPlanes: [] },
      },
    ],
    dangerouslyUseServiceCredential: false,
    authEndpoint: 'https://auth.upbound.io',
    ...overrides,
  };
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
