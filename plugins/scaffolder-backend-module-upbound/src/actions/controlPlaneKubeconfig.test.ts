import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { upboundKubeconfigReadPermission } from '@upbound-backstage/plugin-upbound-common';
import { parse } from 'yaml';
import {
  actionContext,
  permissionsAnswering,
  testHandoff,
  USER_SECRET_TOKEN,
} from '../__testUtils__/context';
import {
  CP_CA,
  CP_ID,
  CP_SERVER,
  CP_TOKEN,
  createFakeUpbound,
} from '../__testUtils__/fakeUpbound';
import { createControlPlaneKubeconfigAction } from './controlPlaneKubeconfig';

function setup(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW) {
  const fake = createFakeUpbound();
  const permissions = permissionsAnswering(result);
  const credentials = jest.spyOn(fake.service, 'controlPlaneCredentials');
  const action = createControlPlaneKubeconfigAction({
    upbound: fake.service,
    permissions,
    handoff: testHandoff(),
  });
  return { ...fake, permissions, action, credentials };
}

describe('upbound:controlplane:kubeconfig', () => {
  it('outputs a static-token kubeconfig and never logs the token', async () => {
    const { action, permissions } = setup();
    const addRedactions = jest.fn();
    const { ctx, outputs, logText, logger } = actionContext({
      controlPlane: CP_ID,
      namespace: 'team-a',
      credential: { token: USER_SECRET_TOKEN },
    }, { secrets: { upboundToken: USER_SECRET_TOKEN } });
    (logger as any).addRedactions = addRedactions;
    await action.handler(ctx as any);

    expect(permissions.authorizeConditional).toHaveBeenCalledWith(
      [{ permission: upboundKubeconfigReadPermission }],
      expect.anything(),
    );
    const kubeconfig = parse(outputs.kubeconfig as string);
    expect(kubeconfig).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'ctp-a',
          cluster: {
            server: CP_SERVER,
            'certificate-authority-data': Buffer.from(CP_CA).toString('base64'),
          },
        },
      ],
      users: [{ name: 'ctp-a', user: { token: USER_SECRET_TOKEN } }],
      contexts: [
        { name: 'ctp-a', context: { cluster: 'ctp-a', user: 'ctp-a', namespace: 'team-a' } },
      ],
      'current-context': 'ctp-a',
    });
    expect(kubeconfig.users[0].user.exec).toBeUndefined();
    expect(outputs.server).toBe(CP_SERVER);
    expect(addRedactions).toHaveBeenCalledWith([USER_SECRET_TOKEN]);
    expect(addRedactions).toHaveBeenCalledWith([outputs.kubeconfig]);
    expect(logText()).not.toContain(USER_SECRET_TOKEN);
    expect(logText()).toContain(
      `Issued a kubeconfig for control plane ${CP_ID} with the scaffolder secret`,
    );
  });

  // Why: the kubeconfig action put the backend's own credential into a step output.
  it("never puts the backend's own credential into the output", async () => {
    const { action, credentials } = setup();
    await expect(
      action.handler(actionContext({ controlPlane: CP_ID }).ctx as any),
    ).rejects.toThrow(/No credential for control plane .* the backend never hands out its own/);
    expect(credentials).not.toHaveBeenCalled();
    const { ctx, outputs } = actionContext(
      { controlPlane: CP_ID, credential: { token: USER_SECRET_TOKEN } },
      { secrets: { token: USER_SECRET_TOKEN } },
    );
    await action.handler(ctx as any);
    expect(String(outputs.kubeconfig)).toContain(USER_SECRET_TOKEN);
    expect(String(outputs.kubeconfig)).not.toContain(CP_TOKEN);
    expect(credentials).not.toHaveBeenCalled();
  });

  it('refuses a secretRef and bad names', async () => {
    const { action } = setup();
    for (const [extra, message] of [
      [{ credential: { secretRef: { name: 'x' } } }, /credential.secretRef is not supported by this action/],
      [{ contextName: '..' }, /Invalid contextName/],
      [{ namespace: '..' }, /Invalid namespace/],
      // A later step could log the output; only the task's own secrets are redacted there.
      [{ credential: { gitopsCredential: 'ctp-a-robot' } }, /not accepted by this action: the kubeconfig is a step output/],
    ] as const) {
      await expect(
        action.handler(actionContext({ controlPlane: CP_ID, ...extra }).ctx as any),
      ).rejects.toMatchObject({ name: 'InputError', message: expect.stringMatching(message) });
    }
  });

  it('refuses without the kubeconfig permission and reads no credentials', async () => {
    const { action, credentials } = setup(AuthorizeResult.DENY);
    await expect(
      action.handler(actionContext({ controlPlane: CP_ID }).ctx as any),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(credentials).not.toHaveBeenCalled();
  });

  it('refuses an unknown control plane', async () => {
    const { action } = setup();
    await expect(
      action.handler(actionContext({ controlPlane: 'direct/nope' }).ctx as any),
    ).rejects.toMatchObject({ name: 'InputError', message: expect.stringContaining("Unknown controlPlane 'direct/nope'") });
  });

  it('dry-run outputs a placeholder and reads no credentials', async () => {
    const { action, credentials } = setup();
    const { ctx, outputs } = actionContext(
      { controlPlane: CP_ID, credential: { token: USER_SECRET_TOKEN } },
      { isDryRun: true, secrets: { upboundToken: USER_SECRET_TOKEN } },
    );
    await action.handler(ctx as any);
    expect(credentials).not.toHaveBeenCalled();
    expect(parse(outputs.kubeconfig as string).users[0].user.token).toBe('dry-run');
  });
});
