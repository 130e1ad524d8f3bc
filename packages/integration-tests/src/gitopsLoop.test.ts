/*
 * The GitOps loop with the real engines of the local Space: a user runs a connect template and a create-claim
 * template through the real scaffolder (task runner, input schema, secret redaction), the claim manifest is
 * pushed to the Space's Git server, the real Flux / Argo CD applies it into the control plane through the Spaces
 * ingress with the Secret the action wrote, the claim reaches the real catalog with its provenance, and deleting
 * the file takes it away again.
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
import {
  upboundServiceFactory,
  type UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { parse as parseYaml, stringify } from 'yaml';
import { CapturingLogger } from './lib/CapturingLogger';
import { GitRepository, gitPushModule } from './lib/gitRepository';
import { captureUpbound, DEV_ID, eventually, spaceConfig } from './lib/harness';

jest.setTimeout(600_000);

const space = getLocalSpace();
const suffix = Date.now().toString(36);
const STAGING_ID = 'space/local/team-a/staging';

function requireEngines(s: LocalSpace | undefined): LocalSpace {
  if (!s) throw new Error('no local Space: run through the jest global setup or set UPBOUND_LOCAL_SPACE_STATE');
  if (!s.state.gitops?.enabled) {
    throw new Error('the local Space runs without GitOps engines (--no-gitops); this suite needs them');
  }
  return s;
}

/** The connect + create-claim + push flow of one engine as one template. */
function loopTemplate(engine: 'flux' | 'argocd', repositoryUrl: string) {
  const connect =
    engine === 'flux'
      ? {
          id: 'connect',
          name: 'Connect to Flux',
          action: 'upbound:flux:connect',
          input: {
            controlPlane: DEV_ID,
            name: '${{ parameters.name }}',
            sourceRef: { kind: 'GitRepository', name: 'platform-claims' },
            path: './${{ parameters.folder }}',
            interval: '10s',
            prune: true,
            credential: { token: '${{ secrets.controlPlaneToken }}' },
          },
        }
      : {
          id: 'connect',
          name: 'Connect to Argo CD',
          action: 'upbound:argocd:connect',
          input: {
            controlPlane: DEV_ID,
            appName: '${{ parameters.name }}',
            repoUrl: repositoryUrl,
            path: '${{ parameters.folder }}',
            revision: 'main',
            prune: true,
            allowEmpty: true,
            credential: { token: '${{ secrets.controlPlaneToken }}' },
          },
        };
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: `it-gitops-${engine}`, namespace: 'default' },
    spec: {
      type: 'service',
      owner: 'group:default/platform',
      parameters: [
        {
          required: ['name', 'folder', 'claim'],
          properties: {
            name: { type: 'string' },
            folder: { type: 'string' },
            claim: { type: 'string' },
          },
        },
      ],
      steps: [
        connect,
        {
          id: 'claim',
          name: 'Write the claim',
          action: 'upbound:claim:create',
          input: {
            controlPlane: DEV_ID,
            apiVersion: 'storage.example.org/v1alpha1',
            kind: 'Bucket',
            name: '${{ parameters.claim }}',
            namespace: 'web',
            parameters: { parameters: { region: 'eu-west-1' } },
            mode: 'manifest',
            targetPath: '${{ parameters.folder }}/web/${{ parameters.claim }}.yaml',
          },
        },
        {
          id: 'push',
          name: 'Merge into platform-claims',
          action: 'it:git:push',
          input: {
            repositoryUrl,
            files: ['${{ steps.claim.output.manifestPath }}'],
            message: 'Add claim ${{ parameters.claim }}',
          },
        },
      ],
      output: { commit: '${{ steps.push.output.commit }}' },
    },
  };
}

describe('the GitOps loop with real Flux and Argo CD', () => {
  let s: LocalSpace;
  let server: any;
  let upbound: UpboundService;
  let stop: () => Promise<void>;
  let repo: GitRepository;
  let templatesFile: string;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    s = requireEngines(space);
    const git = s.state.gitops!.git;
    templatesFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'it-gitops-')), 'templates.yaml');
    fs.writeFileSync(
      templatesFile,
      [loopTemplate('flux', git.repositoryUrl), loopTemplate('argocd', git.repositoryUrl)]
        .map(t => stringify(t))
        .join('---\n'),
    );
    const config = spaceConfig(s);
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleTemplates,
        catalogModuleUpbound,
        upboundPlugin,
        scaffolderPlugin,
        scaffolderModuleUpbound,
        gitPushModule({ caFile: s.state.caFile }),
        upboundServiceFactory,
        schedulerServiceFactory,
        captureUpbound(x => (upbound = x)),
        logger.factory(),
        mockServices.rootConfig.factory({
          data: {
            ...config,
            catalog: {
              rules: [{ allow: ['Component', 'API', 'Resource', 'Location', 'Template', 'Group', 'User', 'System'] }],
              locations: [{ type: 'file', target: templatesFile }],
              providers: { upbound: { schedule: { frequency: { seconds: 30 }, timeout: { seconds: 60 } } } },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    repo = await GitRepository.clone(git.repositoryUrl, s.state.caFile);
  });

  afterAll(async () => {
    // Every suite shares the Space: remove the engine objects and Secrets this one made (`*-<suffix>`).
    try {
      const app = await upbound.appCluster(s.state.appCluster.name);
      for (const [apiVersion, kind, namespace] of [
        ['kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'flux-system'],
        ['argoproj.io/v1alpha1', 'Application', 'argocd'],
        ['v1', 'Secret', 'flux-system'],
        ['v1', 'Secret', 'argocd'],
      ]) {
        const type = await app.client.resolve(apiVersion, kind);
        const { items } = await app.client.list(type, { namespace });
        for (const o of items) {
          if (o.metadata?.name?.includes(suffix)) await app.client.delete(type, o.metadata.name, namespace);
        }
      }
    } finally {
      await stop?.();
      repo?.remove();
    }
  });

  async function runTemplate(name: string, values: Record<string, string>, secrets: Record<string, string>) {
    await eventually(async () => {
      const res = await request(server).get(`/api/catalog/entities/by-name/template/default/${name}`);
      return res.status === 200 ? true : undefined;
    }, 60_000, `template ${name} in the catalog`);
    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .send({ templateRef: `template:default/${name}`, values, secrets });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const task = await eventually(async () => {
      const res = await request(server).get(`/api/scaffolder/v2/tasks/${id}`);
      return ['completed', 'failed', 'cancelled'].includes(res.body.status) ? res.body : undefined;
    }, 120_000, `task ${id}`);
    const events = await request(server).get(`/api/scaffolder/v2/tasks/${id}/events`);
    const messages: string[] = events.body.map((e: any) => e.body?.message).filter(Boolean);
    return { task, log: JSON.stringify(events.body), messages };
  }

  /** The task completed; else fail with the task's own log lines. */
  function expectCompleted(run: { task: any; messages: string[] }) {
    if (run.task.status !== 'completed') {
      throw new Error(`task ${run.task.status}:\n${run.messages.join('\n')}`);
    }
  }

  async function claimInControlPlane(name: string) {
    const cp = await upbound.controlPlane(DEV_ID);
    const type = await cp.client.resolve('storage.example.org/v1alpha1', 'Bucket');
    return cp.client.tryGet(type, name, 'web');
  }

  async function claimEntity(name: string) {
    const res = await request(server)
      .get('/api/catalog/entities/by-query')
      .query({ filter: `kind=resource,metadata.annotations.upbound.io/name=${name}` });
    return res.status === 200 ? res.body.items[0] : undefined;
  }

  async function gitops(cpId = DEV_ID) {
    const res = await request(server).get(`/api/upbound/controlplanes/${encodeURIComponent(cpId)}/gitops`);
    return res;
  }

  async function requestReconcile(apiVersion: string, kind: string, namespace: string, name: string, patch: object) {
    const app = await upbound.appCluster(s.state.appCluster.name);
    const type = await app.client.resolve(apiVersion, kind);
    await app.client.mergePatch(type, name, namespace, patch);
  }

  /** What `flux reconcile source git` does: ask source-controller to fetch now instead of at its interval. */
  const fetchNow = () =>
    requestReconcile('source.toolkit.fluxcd.io/v1', 'GitRepository', 'flux-system', 'platform-claims', {
      metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': new Date().toISOString() } },
    });

  /** What `argocd app get --refresh` does. */
  const refreshApp = (name: string) =>
    requestReconcile('argoproj.io/v1alpha1', 'Application', 'argocd', name, {
      metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } },
    });

  it.each(['flux', 'argocd'] as const)('%s: connect, push a claim, see it delivered with provenance, delete it', async engine => {
    const name = `it-${engine}-${suffix}`;
    const folder = `claims/it-${engine}-${suffix}`;
    const claim = `it-${engine}-bucket-${suffix}`;
    const token = s.tokens.controlPlanes['platform/dev'].ingress;

    // 1-2: the templates run through the real scaffolder; the token is a task secret and never logged.
    const run = await runTemplate(`it-gitops-${engine}`, { name, folder, claim }, { controlPlaneToken: token });
    const { task, log } = run;
    expect(log).not.toContain(token);
    expectCompleted(run);
    const commit: string = await eventually(async () => {
      const res = await request(server).get(`/api/scaffolder/v2/tasks/${task.id}`);
      return res.body.output?.commit ?? (log.match(/pushed ([0-9a-f]{40})/)?.[1] || undefined);
    }, 10_000, 'the pushed commit');

    // 3: the engine applies the claim into the control plane through the Spaces ingress.
    const applied = await eventually(async () => {
      if (engine === 'flux') await fetchNow();
      else await refreshApp(name);
      return claimInControlPlane(claim);
    }, 180_000, `${engine} to create claim ${claim}`);
    // The engine's own mark: Flux's kustomize label, or Argo CD's tracking id `<app>:<group>/<kind>:<ns>/<name>`.
    const mark =
      engine === 'flux'
        ? applied.metadata?.labels?.['kustomize.toolkit.fluxcd.io/name']
        : applied.metadata?.annotations?.['argocd.argoproj.io/tracking-id']?.split(':')[0];
    expect(mark).toBe(name);

    // 4: the claim is in the catalog; the GitOps view shows the object Ready / Synced at the pushed commit.
    const entity = await eventually(() => claimEntity(claim), 120_000, `claim ${claim} in the catalog`);
    const view = await eventually(async () => {
      const res = await gitops();
      const items: any[] = engine === 'flux' ? res.body.flux : res.body.argocd;
      const item = items.find(i => i.name === name);
      if (engine === 'flux') {
        return item?.ready.state === 'True' && item.lastAppliedRevision?.endsWith(commit) ? item : undefined;
      }
      return item?.syncStatus === 'Synced' && item.syncRevision === commit ? item : undefined;
    }, 180_000, `${engine} to report the pushed commit ${commit}`);
    expect(view.resourceCount).toBeGreaterThanOrEqual(1);
    expect(view.credentialProblem).toBeUndefined();

    // Provenance: the claims list and the claim's delivery timeline name the engine object.
    const claims = await request(server)
      .get(`/api/upbound/controlplanes/${encodeURIComponent(DEV_ID)}/claims`)
      .query({ namespace: 'web', limit: 500 });
    const listed = claims.body.items.find((c: any) => c.name === claim);
    expect(listed.gitops).toEqual(expect.objectContaining({ engine, name }));
    const delivery = await request(server).get(
      `/api/upbound/entities/resource/${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}/delivery`,
    );
    expect(delivery.status).toBe(200);
    expect(delivery.body.origin).toEqual(expect.objectContaining({ engine, name }));
    expect(delivery.body.steps.map((st: any) => st.stage)).toEqual(
      expect.arrayContaining(['revision', 'applied', 'claim', 'composite']),
    );
    expect(delivery.body.steps[0].state).toBe('done');
    expect(delivery.body.steps[0].title).toContain(engine === 'flux' ? commit : commit.slice(0, 12));

    // 5: deleting the file from Git prunes the claim. The folder stays (a missing path is an error to both
    // engines, and they then keep what they applied rather than delete it).
    await repo.commit(`Remove ${claim}`, {
      [`${folder}/web/${claim}.yaml`]: null,
      [`${folder}/README.md`]: 'Claims of the web team.\n',
    });
    await eventually(async () => {
      if (engine === 'flux') await fetchNow();
      else await refreshApp(name);
      return (await claimInControlPlane(claim)) ? undefined : true;
    }, 180_000, `${engine} to prune claim ${claim}`);
    await eventually(async () => ((await claimEntity(claim)) ? undefined : true), 120_000, `claim ${claim} to leave the catalog`);
  });

  it("the product's Flux template reuses the GitRepository Flux already has", async () => {
    const template = parseYaml(
      fs.readFileSync(path.resolve(__dirname, '../../../templates/connect-flux.yaml'), 'utf8'),
    );
    const token = s.tokens.controlPlanes['platform/dev'].ingress;
    const res = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .send({
        template,
        values: { controlPlane: DEV_ID, name: `it-tmpl-${suffix}`, source: 'existing', gitRepositoryName: 'platform-claims', path: './claims/dev', interval: '1m', prune: true, mode: 'apply' },
        secrets: { upboundToken: token },
        directoryContents: [],
      });
    expect(res.status).toBe(200);
    const log = JSON.stringify(res.body.log);
    expect(log).not.toContain(token);
    expect(log).not.toMatch(/"status":"failed"/);
    expect(log).toMatch(/would create Kustomization flux-system\/it-tmpl-/);
    // No new GitRepository: the Kustomization points at the one Flux already has.
    expect(log).not.toMatch(/would create GitRepository/);
  });

  it('Argo CD: the Sync button syncs through the Argo CD API', async () => {
    const res = await request(server).post('/api/upbound/argocd/local/applications/argocd/payments-claims/sync').send({});
    expect(res.status).toBe(200);
    await eventually(async () => {
      const view = await gitops();
      const app = view.body.argocd.find((a: any) => a.name === 'payments-claims');
      return app?.operationPhase === 'Succeeded' && Date.parse(app.operationFinishedAt) > Date.now() - 120_000 ? app : undefined;
    }, 120_000, 'a fresh successful sync of payments-claims');
  });

  it('names a connection whose credential the control plane refuses', async () => {
    const name = `it-badcred-${suffix}`;
    expectCompleted(
      await runTemplate('it-gitops-flux', { name, folder: `claims/it-badcred-${suffix}`, claim: `it-badcred-${suffix}` }, {
        controlPlaneToken: 'not-a-valid-token-for-this-control-plane',
      }),
    );
    const item = await eventually(async () => {
      await fetchNow();
      const view = await gitops();
      return view.body.flux.find((k: any) => k.name === name && k.credentialProblem);
    }, 180_000, 'the credential failure in the GitOps view');
    expect(item.credentialProblem).toMatch(/cannot authenticate to the control plane/);
    expect(item.ready.state).toBe('False');
    await repo.commit(`Remove it-badcred-${suffix}`, { [`claims/it-badcred-${suffix}`]: null });
  });

  it('a control plane without an API server: the GitOps view answers and nothing crashes', async () => {
    const res = await gitops(STAGING_ID);
    expect(res.status).toBeLessThan(500 + 4);
    expect(JSON.stringify(res.body)).not.toMatch(/stack|at Object\./);
    const list = await request(server).get('/api/upbound/controlplanes');
    expect(list.status).toBe(200);
  });

  it('Argo CD: a tracking method other than annotation is refused, or fixed when asked', async () => {
    const app = await upbound.appCluster(s.state.appCluster.name);
    const cmType = await app.client.resolve('v1', 'ConfigMap');
    const key = 'application.resourceTrackingMethod';
    await app.client.mergePatch(cmType, 'argocd-cm', 'argocd', { data: { [key]: 'label' } });
    try {
      const refused = await runTemplate('it-gitops-argocd', { name: `it-tracking-${suffix}`, folder: `claims/it-tracking-${suffix}`, claim: `it-tracking-${suffix}` }, {
        controlPlaneToken: s.tokens.controlPlanes['platform/dev'].ingress,
      });
      expect(refused.task.status).toBe('failed');
      expect(refused.log).toMatch(/annotation tracking.*overrideTrackingMethod/);
    } finally {
      await app.client.mergePatch(cmType, 'argocd-cm', 'argocd', { data: { [key]: 'annotation' } });
    }
  });
});
