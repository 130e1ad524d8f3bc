/*
 * The product's connector templates through the real scaffolder and catalog against the local Space: connect an
 * app cluster (Flux HelmRelease), see it in the connections view before any claim, disconnect it with the
 * template the page links to, and create a claim from the app cluster through its connector.
 */
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplates from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { getLocalSpace, type LocalSpace } from '@internal/local-space';
import catalogModuleUpbound from '@upbound-backstage/plugin-catalog-backend-module-upbound';
import scaffolderModuleUpbound from '@upbound-backstage/plugin-scaffolder-backend-module-upbound';
import upboundPlugin from '@upbound-backstage/plugin-upbound-backend';
import { upboundServiceFactory, type UpboundService } from '@upbound-backstage/plugin-upbound-node';
import path from 'node:path';
import request from 'supertest';
import { captureUpbound, DEV_ID, eventually, spaceConfig } from './lib/harness';
import { runTask } from './lib/scaffolderTasks';

jest.setTimeout(300_000);

const suffix = Date.now().toString(36);
const TEMPLATES = path.resolve(__dirname, '../../../templates/catalog-info.yaml');

describe('connector templates against the local Space', () => {
  let s: LocalSpace;
  let server: any;
  let upbound: UpboundService;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const space = getLocalSpace();
    if (!space) throw new Error('no local Space: run through the jest global setup or set UPBOUND_LOCAL_SPACE_STATE');
    s = space;
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleTemplates,
        catalogModuleUpbound,
        upboundPlugin,
        scaffolderPlugin,
        scaffolderModuleUpbound,
        upboundServiceFactory,
        schedulerServiceFactory,
        captureUpbound(x => (upbound = x)),
        mockServices.rootConfig.factory({
          data: {
            ...spaceConfig(s),
            catalog: {
              rules: [{ allow: ['Component', 'API', 'Resource', 'Location', 'Template', 'Group', 'User', 'System'] }],
              locations: [{ type: 'file', target: TEMPLATES }],
              providers: { upbound: { schedule: { frequency: { minutes: 10 }, timeout: { seconds: 60 } } } },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
  });

  async function runTemplate(name: string, values: Record<string, unknown>, secrets: Record<string, string> = {}) {
    await eventually(async () => {
      const res = await request(server).get(`/api/catalog/entities/by-name/template/default/${name}`);
      return res.status === 200 ? true : undefined;
    }, 60_000, `template ${name} in the catalog`);
    const result = await runTask(server, undefined, name, values, secrets, 120_000);
    return { ...result, task: { status: result.status }, messages: result.log, log: result.raw };
  }

  async function connections() {
    const res = await request(server).get(`/api/upbound/controlplanes/${encodeURIComponent(DEV_ID)}/connections`);
    expect(res.status).toBe(200);
    return res.body;
  }

  it('connects an app cluster, shows it before its first claim, and disconnects it listing what it deletes', async () => {
    const claimNamespace = `it-conn-${suffix}`;
    const releaseName = `it-conn-${suffix}`;
    const token = s.tokens.controlPlanes['platform/dev'].ingress;
    const connect = await runTemplate(
      'upbound-connect-app-cluster',
      {
        appCluster: s.state.appCluster.name,
        controlPlane: DEV_ID,
        claimNamespace,
        installWith: 'flux',
        mode: 'apply',
        chartVersion: '0.10.0',
        installationNamespace: 'kube-system',
        releaseName,
      },
      { upboundToken: token },
    );
    if (connect.task.status !== 'completed') throw new Error(`connect: ${connect.messages.join('\n')}`);
    expect(connect.log).not.toContain(token);

    // The connection shows up at once, from its HelmRelease, with no claim yet.
    const view = await connections();
    const connection = view.connections.find((c: any) => c.claimNamespaces.includes(claimNamespace));
    expect(connection).toBeDefined();
    expect(connection.appCluster).toBe(s.state.appCluster.name);
    const install = connection.installs.find((i: any) => i.claimNamespace === claimNamespace);
    expect(install).toMatchObject({ via: 'flux', managedByBackstage: true, chartVersion: '0.10.0' });
    // Per claim API: the APIService and how many of this app cluster's claims use it.
    for (const a of connection.apiServices) expect(typeof a.claimCount).toBe('number');

    // Real Flux takes the chart source and fails only on the pull, since the Space is offline.
    const app = upbound.appCluster(s.state.appCluster.name);
    const ociType = await app.client.resolve('source.toolkit.fluxcd.io/v1', 'OCIRepository');
    const verdict = await eventually(async () => {
      const repo: any = await app.client.tryGet(ociType, releaseName, 'flux-system');
      return (repo?.status?.conditions ?? []).find((c: any) => c.type === 'Ready' && c.status === 'False');
    }, 120_000, 'the OCIRepository verdict');
    // eslint-disable-next-line no-console
    console.log(`Flux verdict on the connector chart source: ${verdict.reason}: ${verdict.message}`);
    expect(verdict.message).toMatch(/xpkg\.upbound\.io/);

    // The disconnect template the connections card links to.
    const disconnect = await runTemplate('upbound-disconnect-app-cluster', {
      appCluster: s.state.appCluster.name,
      controlPlane: DEV_ID,
      claimNamespace,
      releaseName: install.releaseName,
      installationNamespace: 'kube-system',
      helmRelease: false,
      keepClaims: false,
    });
    if (disconnect.task.status !== 'completed') throw new Error(`disconnect: ${disconnect.messages.join('\n')}`);
    expect(disconnect.messages.join('\n')).toMatch(/HelmRelease flux-system\/it-conn-/);
    expect(disconnect.output?.text?.[0]?.content).toMatch(/Removed [1-9]\d* object\(s\)\. 0\s+claim\(s\) of this app cluster remain/);
    const after = await connections();
    expect(after.connections.some((c: any) => c.claimNamespaces.includes(claimNamespace))).toBe(false);
  });

  it('creates a claim from the app cluster: validated against the control plane XRD, then sent to the app cluster API server', async () => {
    const base = {
      appCluster: s.state.appCluster.name,
      controlPlane: DEV_ID,
      claimApi: { apiVersion: 'storage.example.org/v1alpha1', kind: 'Bucket' },
      name: `it-app-${suffix}`,
      namespace: 'shop',
    };
    // Bad input is refused before anything is written anywhere.
    const invalid = await runTemplate('upbound-create-claim-in-app-cluster', { ...base, parameters: 'parameters:\n  acl: public-read-write\n' });
    expect(invalid.task.status).toBe('failed');
    expect(invalid.messages.join('\n')).toMatch(/region|acl/);
    expect(invalid.messages.join('\n')).not.toMatch(/does not serve/);

    // A valid claim goes to the app cluster's API server, which hands it to the connector's APIService. The
    // connector itself (Upbound's image) cannot run offline, so the app cluster answers that the APIService is
    // unavailable, and the task says so.
    const valid = await runTemplate('upbound-create-claim-in-app-cluster', {
      ...base,
      parameters: 'parameters:\n  region: eu-west-1\n',
    });
    // eslint-disable-next-line no-console
    console.log(`claim from the app cluster: ${valid.task.status}: ${valid.messages.slice(-3).join(' | ')}`);
    expect(valid.messages.join('\n')).toMatch(new RegExp(`app cluster ${s.state.appCluster.name}`));
    const cp = await upbound.controlPlane(DEV_ID);
    const type = await cp.client.resolve('storage.example.org/v1beta1', 'Bucket');
    // Nothing was written into the control plane directly: only the connector stores claims there.
    expect(await cp.client.tryGet(type, base.name, 'shop')).toBeUndefined();
  });
});
