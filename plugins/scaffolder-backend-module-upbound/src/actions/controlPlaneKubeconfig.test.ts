import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { upboundKubeconfigReadPermission } from '@upbound-backstage/plugin-upbound-common';
import { parse } from 'yaml';
import { actionContext, permissionsAnswering } from '../__testUtils__/context';
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
  const action = createControlPlaneKubeconfigAction({ upbound: fake.service, permissions });
  return { ...fake, permissions, action, credentials };
}

describe('upbound:controlplane:kubeconfig', () => {
  it('outputs a static-token kubeconfig and never logs the token', async () => {
    const { action, permissions } = setup();
    const addRedactions = jest.fn();
    const { ctx, outputs, logText, logger } = actionContext({
      controlPlane: CP_ID,
      namespace: 'team-a',
    });
    (logger as any).addRedactions = addRedactions;
    await action.handler(ctx as any);

    expect(permissions.authorize).toHaveBeenCalledWith(
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
      users: [{ name: 'ctp-a', user: { token: CP_TOKEN } }],
      contexts: [
        { name: 'ctp-a', context: { cluster: 'ctp-a', user: 'ctp-a', namespace: 'team-a' } },
      ],
      'current-context': 'ctp-a',
    });
    expect(kubeconfig.users[0].user.exec).toBeUndefined();
    expect(outputs.server).toBe(CP_SERVER);
    expect(addRedactions).toHaveBeenCalledWith([CP_TOKEN]);
    expect(addRedactions).toHaveBeenCalledWith([outputs.kubeconfig]);
    expect(logText()).not.toContain(CP_TOKEN);
    expect(logText()).toContain(`Issued a kubeconfig for control plane ${CP_ID}`);
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
    const { ctx, outputs } = actionContext({ controlPlane: CP_ID }, { isDryRun: true });
    await action.handler(ctx as any);
    expect(credentials).not.toHaveBeenCalled();
    expect(parse(outputs.kubeconfig as string).users[0].user.token).toBe('dry-run');
  });
});
