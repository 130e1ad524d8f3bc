/*
 * Integration tests against the local Space (packages/local-space): real kube-apiservers, the real
 * access layer and discovery, the actions as the module registers them. Skipped cleanly when no
 * local Space is available (UPBOUND_LOCAL_SPACE_STATE names a running one).
 */
import { describeIfLocalSpace, getLocalSpace } from '@internal/local-space';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  upboundServiceFactory,
  upboundServiceRef,
  type ControlPlane,
  type UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import fs from 'node:fs';
import https from 'node:https';
import { parse } from 'yaml';
import { actionContext } from './__testUtils__/context';
import { scaffolderModuleUpbound } from './module';

describeIfLocalSpace('upbound actions against the local Space', () => {
  let upbound: UpboundService;
  let controlPlane: ControlPlane;
  const actions = new Map<string, any>();
  let stop: (() => Promise<void>) | undefined;
  const suffix = Date.now().toString(36);

  beforeAll(async () => {
    const space = getLocalSpace()!;
    const config = parse(fs.readFileSync(space.state.appConfigPath, 'utf8'));
    // A named credential scoped to one control plane: its own ingress token, which the Space
    // ingress accepts for that control plane only. No service credential is handed out here.
    const first = space.state.controlPlanes.find(c => c.connectorClaimNamespace)!;
    config.upbound.dangerouslyUseServiceCredential = false;
    config.upbound.gitopsCredentials = [
      {
        name: 'connected-robot',
        token: space.tokens.controlPlanes[`${first.group}/${first.name}`].ingress,
        scope: { groups: [first.group] },
      },
    ];
    const capture = createBackendModule({
      pluginId: 'scaffolder',
      moduleId: 'capture-upbound',
      register(reg) {
        reg.registerInit({
          deps: { service: upboundServiceRef },
          async init({ service }) {
            upbound = service;
          },
        });
      },
    });
    const backend = await startTestBackend({
      extensionPoints: [
        [scaffolderActionsExtensionPoint, { addActions: (...a: any[]) => a.forEach(x => actions.set(x.id, x)) }],
      ],
      features: [
        scaffolderModuleUpbound,
        capture,
        upboundServiceFactory,
        mockServices.rootConfig.factory({ data: config }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      ],
    });
    stop = () => backend.stop();
    const { controlPlanes } = await upbound.inventory({ refresh: true });
    const found = controlPlanes.find(c => c.name === first.name && c.group === first.group);
    if (!found) throw new Error(`control plane ${first.group}/${first.name} was not discovered`);
    controlPlane = found;
  }, 180_000);

  afterAll(async () => {
    await stop?.();
  });

  const credential = { gitopsCredential: 'connected-robot' };

  /** Polls `fn` until it returns a value (not undefined). */
  async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = await fn();
      if (value !== undefined) return value;
      if (Date.now() > until) throw new Error(`condition not met in ${timeoutMs} ms`);
      await new Promise(r => setTimeout(r, 250));
    }
  }

  async function run(
    id: string,
    input: Record<string, unknown>,
    options?: { isDryRun?: boolean; workspacePath?: string; secrets?: Record<string, string> },
  ) {
    const context = actionContext(input, options);
    await actions.get(id).handler(context.ctx);
    return context;
  }

  async function read(client: ControlPlane['client'], apiVersion: string, kind: string, name: string, namespace?: string) {
    return client.tryGet(await client.resolve(apiVersion, kind), name, namespace);
  }

  it('upbound:claim:create applies, is idempotent, dry-runs and refuses bad input', async () => {
    const name = `it-db-${suffix}`;
    const input = {
      controlPlane: controlPlane.id,
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'PostgreSQLInstance',
      name,
      namespace: 'default',
      parameters: 'parameters:\n  storageGB: 20\n',
    };
    await run('upbound:claim:create', { ...input, name: `${name}-dry` }, { isDryRun: true });
    expect(await read(controlPlane.client, input.apiVersion, input.kind, `${name}-dry`, 'default')).toBeUndefined();

    await expect(
      run('upbound:claim:create', { ...input, parameters: 'parameters:\n  storageGB: 1\n' }),
    ).rejects.toThrow(/spec\.parameters\.storageGB must be >= 20/);
    expect(await read(controlPlane.client, input.apiVersion, input.kind, name, 'default')).toBeUndefined();

    await run('upbound:claim:create', input);
    const first = await read(controlPlane.client, input.apiVersion, input.kind, name, 'default');
    expect(first?.spec.parameters.storageGB).toBe(20);
    // Crossplane composes it: a composite, then Ready once provider-nop reports the instance Available.
    const composed = await eventually(async () => {
      const c = await read(controlPlane.client, input.apiVersion, input.kind, name, 'default');
      const ready = c?.status?.conditions?.find((x: any) => x.type === 'Ready');
      return c?.spec.resourceRef && ready?.status === 'True' ? c : undefined;
    });
    expect(composed.spec.resourceRef).toMatchObject({ kind: 'XPostgreSQLInstance', name: expect.stringMatching(new RegExp(`^${name}-`)) });
    // Running again changes nothing that the action owns (Crossplane's own writes aside).
    const ours = (c: any) => c?.metadata?.managedFields?.find((f: any) => f.manager === 'backstage-upbound');
    await run('upbound:claim:create', input);
    const second = await read(controlPlane.client, input.apiVersion, input.kind, name, 'default');
    expect(second?.metadata?.generation).toBe(composed.metadata?.generation);
    expect(ours(second)).toEqual(ours(composed));

    await controlPlane.client.delete(await controlPlane.client.resolve(input.apiVersion, input.kind), name, 'default');
  }, 90_000);

  it('upbound:argocd:connect and upbound:flux:connect write their objects once and keep argocd-cm keys', async () => {
    const app = upbound.appClusters()[0];
    const cmType = await app.client.resolve('v1', 'ConfigMap');
    const before = (await app.client.tryGet(cmType, 'argocd-cm', 'argocd')) as any;

    const argoInput = {
      controlPlane: controlPlane.id,
      repoUrl: 'https://example.com/claims.git',
      path: 'claims',
      appName: `it-argo-${suffix}`,
      credential,
    };
    await run('upbound:argocd:connect', argoInput, { isDryRun: true });
    expect(await read(app.client, 'argoproj.io/v1alpha1', 'Application', argoInput.appName, 'argocd')).toBeUndefined();
    const { outputs } = await run('upbound:argocd:connect', argoInput);
    const application = await read(app.client, 'argoproj.io/v1alpha1', 'Application', argoInput.appName, 'argocd');
    expect(application?.spec.destination.server).toBe(controlPlane.server);
    await run('upbound:argocd:connect', argoInput);
    // The real Argo CD writes the Application's status and operation meanwhile: the spec must not change.
    expect(
      (await read(app.client, 'argoproj.io/v1alpha1', 'Application', argoInput.appName, 'argocd'))?.spec,
    ).toEqual(application?.spec);
    const cm = (await app.client.tryGet(cmType, 'argocd-cm', 'argocd')) as any;
    expect(cm?.data).toEqual({
      ...before?.data,
      'application.resourceTrackingMethod': expect.stringMatching(/annotation/),
    });

    const fluxInput = {
      controlPlane: controlPlane.id,
      name: `it-flux-${suffix}`,
      gitRepository: { url: 'https://example.com/claims.git' },
      path: './claims',
      credential,
    };
    await run('upbound:flux:connect', fluxInput);
    const kustomization = await read(app.client, 'kustomize.toolkit.fluxcd.io/v1', 'Kustomization', fluxInput.name, 'flux-system');
    expect(kustomization?.spec.kubeConfig.secretRef).toEqual({ name: `${fluxInput.name}-kubeconfig`, key: 'value' });
    await run('upbound:flux:connect', fluxInput);

    // Clean up what these runs created.
    const secretType = await app.client.resolve('v1', 'Secret');
    await app.client.delete(await app.client.resolve('argoproj.io/v1alpha1', 'Application'), argoInput.appName, 'argocd');
    await app.client.delete(secretType, outputs.clusterSecretName as string, 'argocd');
    await app.client.delete(await app.client.resolve('kustomize.toolkit.fluxcd.io/v1', 'Kustomization'), fluxInput.name, 'flux-system');
    await app.client.delete(await app.client.resolve('source.toolkit.fluxcd.io/v1', 'GitRepository'), fluxInput.name, 'flux-system');
    await app.client.delete(secretType, `${fluxInput.name}-kubeconfig`, 'flux-system');
  });

  it('upbound:connector:install then :uninstall, refusing while the seeded connector claims remain', async () => {
    const space = getLocalSpace()!;
    const claimNamespace = space.state.controlPlanes.find(c => c.connectorClaimNamespace)!.connectorClaimNamespace!;
    const input = {
      appCluster: upbound.appClusters()[0].name,
      controlPlane: controlPlane.id,
      claimNamespace,
      releaseName: `it-conn-${suffix}`,
      credential,
    };
    await run('upbound:connector:install', input);
    const app = upbound.appClusters()[0];
    const release = await read(app.client, 'helm.toolkit.fluxcd.io/v2', 'HelmRelease', input.releaseName, 'flux-system');
    expect(release?.spec.values.spaces.controlPlane.claimNamespace).toBe(claimNamespace);
    await run('upbound:connector:install', input);

    await expect(run('upbound:connector:uninstall', input)).rejects.toThrow(/still exist in namespace/);
    const { outputs } = await run('upbound:connector:uninstall', { ...input, keepClaims: true });
    expect(outputs.removed).toHaveLength(3);
    expect(await read(app.client, 'helm.toolkit.fluxcd.io/v2', 'HelmRelease', input.releaseName, 'flux-system')).toBeUndefined();
  });

  it("upbound:connector:install with Argo CD and with the seed's HTTP repository: real Flux fails only on the offline fetch; real Argo CD compares the Application and fails only on the offline chart pull", async () => {
    const space = getLocalSpace()!;
    const claimNamespace = space.state.controlPlanes.find(c => c.connectorClaimNamespace)!.connectorClaimNamespace!;
    const app = upbound.appClusters()[0];
    const releaseName = `it-argo-${suffix}`;
    const input = { appCluster: app.name, controlPlane: controlPlane.id, claimNamespace, releaseName, credential };
    const secretType = await app.client.resolve('v1', 'Secret');
    const applicationType = await app.client.resolve('argoproj.io/v1alpha1', 'Application');
    try {
      await run('upbound:connector:install', { ...input, installWith: 'argocd' });
      // The kubeconfig Secret the connector would mount reaches the control plane through the Space ingress.
      const secret = await read(app.client, 'v1', 'Secret', `${releaseName}-controlplane`, 'kube-system');
      const kubeconfig = parse(Buffer.from((secret as any).data.kubeconfig, 'base64').toString());
      const status = await new Promise<number>((resolve, reject) => {
        const url = new URL(`${kubeconfig.clusters[0].cluster.server}/api/v1/namespaces/${claimNamespace}`);
        https
          .get(
            url,
            {
              ca: Buffer.from(kubeconfig.clusters[0].cluster['certificate-authority-data'], 'base64'),
              headers: { authorization: `Bearer ${kubeconfig.users[0].user.token}` },
            },
            res => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          )
          .on('error', reject);
      });
      expect(status).toBe(200);
      // Argo CD's verdict.
      // The Application is accepted and compared against the app cluster (registered under its URL, since
      // Argo CD runs outside it); the comparison fails on the chart pull, as the Space is offline.
      const condition = await eventually(async () => {
        const application = await read(app.client, 'argoproj.io/v1alpha1', 'Application', `${releaseName}-${app.name}`, 'argocd');
        return (application?.status?.conditions ?? []).find((c: any) => c.type === 'ComparisonError');
      }, 120_000);
      // eslint-disable-next-line no-console
      console.log(`Argo CD verdict on the connector Application: ${condition.type}: ${condition.message}`);
      expect(condition.message).toMatch(/xpkg\.upbound\.io/i);
      expect(condition.message).not.toMatch(/application spec is invalid|in-cluster configuration|cluster .* not found/i);
      const applied = await read(app.client, 'argoproj.io/v1alpha1', 'Application', `${releaseName}-${app.name}`, 'argocd');
      expect(applied?.spec.destination).toEqual({
        server: space.state.appCluster.url,
        namespace: 'kube-system',
      });

      // The seed's HTTP chart repository through real Flux: source-controller takes the HelmRepository
      // and reports the fetch failure (offline).
      await run('upbound:connector:install', {
        ...input,
        releaseName: `${releaseName}-http`,
        chartUrl: 'upbound-beta/mcp-connector',
        chartVersion: '0.6.0',
      });
      const fetchFailed = await eventually(async () => {
        const repo = await read(app.client, 'source.toolkit.fluxcd.io/v1', 'HelmRepository', `${releaseName}-http`, 'flux-system');
        return (repo?.status?.conditions ?? []).find((c: any) => c.type === 'Ready' && c.status === 'False');
      }, 120_000);
      // eslint-disable-next-line no-console
      console.log(`Flux verdict on the seed HelmRepository: ${fetchFailed.reason}: ${fetchFailed.message}`);
      expect(fetchFailed.message).toMatch(/charts\.upbound\.io/);
    } finally {
      await app.client.delete(applicationType, `${releaseName}-${app.name}`, 'argocd').catch(() => undefined);
      await app.client.delete(secretType, `${releaseName}-chart-repository`, 'argocd').catch(() => undefined);
      await app.client.delete(secretType, `${releaseName}-controlplane`, 'kube-system').catch(() => undefined);
      await run('upbound:connector:uninstall', { ...input, releaseName: `${releaseName}-http`, keepClaims: true }).catch(() => undefined);
      await app.client
        .delete(await app.client.resolve('source.toolkit.fluxcd.io/v1', 'HelmRepository'), `${releaseName}-http`, 'flux-system')
        .catch(() => undefined);
    }
  }, 300_000);

  it('refuses to hand out a credential when none is chosen', async () => {
    for (const id of ['upbound:controlplane:kubeconfig', 'upbound:flux:connect']) {
      await expect(
        run(id, { controlPlane: controlPlane.id, gitRepository: { url: 'https://example.com/c.git' } }),
      ).rejects.toThrow(/the backend never hands out its own/);
    }
  });

  it('upbound:controlplane:kubeconfig issues a kubeconfig that reaches this control plane only', async () => {
    // The user's own token from a Secret field (a named credential would reach later steps' logs).
    const token = getLocalSpace()!.tokens.controlPlanes[`${controlPlane.group}/${controlPlane.name}`].ingress;
    const { outputs } = await run(
      'upbound:controlplane:kubeconfig',
      { controlPlane: controlPlane.id, credential: { token } },
      { secrets: { upboundToken: token } },
    );
    const kubeconfig = parse(outputs.kubeconfig as string);
    const { server, 'certificate-authority-data': caData } = kubeconfig.clusters[0].cluster;
    expect(server).toBe(controlPlane.server);
    const get = (url: string) => new Promise<number | undefined>((resolve, reject) => {
      https
        .get(
          url,
          {
            ca: Buffer.from(caData, 'base64').toString('utf8'),
            headers: { authorization: `Bearer ${kubeconfig.users[0].user.token}` },
          },
          res => {
            res.resume();
            resolve(res.statusCode);
          },
        )
        .on('error', reject);
    });
    expect(await get(`${server}/api`)).toBe(200);
    // The same token is refused for any other control plane of the Space.
    const other = (await upbound.inventory()).controlPlanes.find(c => c.id !== controlPlane.id && c.ready.state === 'True');
    expect(await get(`${other!.server}/api`)).toBe(403);
  });
});
