/*
 * Bad input: malformed config fails startup naming the key; invalid names, oversized or deeply
 * nested claim parameters, YAML bombs in manifest mode, unknown control planes and bad queries
 * are clear errors with no writes to any cluster or workspace, and the backend stays up.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { describeIfLocalSpace, getLocalSpace } from '@internal/local-space';
import catalogModuleUpbound from '@upbound-backstage/plugin-catalog-backend-module-upbound';
import scaffolderModuleUpbound from '@upbound-backstage/plugin-scaffolder-backend-module-upbound';
import upboundPlugin from '@upbound-backstage/plugin-upbound-backend';
import {
  upboundServiceFactory,
  type UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { CapturingLogger } from './lib/CapturingLogger';
import { captureUpbound, DEV_ID, spaceConfig } from './lib/harness';

const EXEC_SECRET = 'exec-env-secret-value';
const execKubeconfig = `apiVersion: v1
kind: Config
current-context: c
clusters:
  - name: c
    cluster: { server: 'https://127.0.0.1:6443' }
contexts:
  - name: c
    context: { cluster: c, user: u }
users:
  - name: u
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1
        command: up
        args: [org, token]
        env: [{ name: UP_TOKEN, value: ${EXEC_SECRET} }]
`;

describe('malformed config fails startup naming the key', () => {
  const base = { backend: { database: { client: 'better-sqlite3', connection: ':memory:' } } };
  const cases: Array<[string, Record<string, any>, RegExp]> = [
    [
      'a Space without hub credentials',
      { upbound: { spaces: [{ name: 'a', hub: {} }] } },
      /upbound\.spaces\[0\]\.hub/,
    ],
    [
      'a control plane URL that is not https',
      { upbound: { controlPlanes: [{ name: 'x', url: 'http://127.0.0.1:1', token: 't' }] } },
      /upbound\.controlPlanes\[0\]\.url must be an https URL/,
    ],
    [
      'a kubeconfig with an exec plugin where static credentials are required',
      { upbound: { controlPlanes: [{ name: 'x', kubeconfig: execKubeconfig }] } },
      /upbound\.controlPlanes\[0\]\.kubeconfig uses an exec credential plugin/,
    ],
    [
      'a kubeconfig that is not YAML',
      { upbound: { appClusters: [{ name: 'a', kubeconfig: 'clusters: [\n  - {' }] } },
      /upbound\.appClusters\[0\]\.kubeconfig is not a valid kubeconfig/,
    ],
    [
      'a per-cluster concurrency below 1',
      { upbound: { concurrency: { perCluster: 0 } } },
      /upbound\.concurrency\.perCluster/,
    ],
    [
      'a backend cache TTL below 0',
      { upbound: { backend: { cache: { countsTtlMs: -1 } } } },
      /upbound\.backend\.cache\.countsTtlMs/,
    ],
    [
      'a catalog provider concurrency of 0',
      { catalog: { providers: { upbound: { concurrency: 0 } } } },
      /catalog\.providers\.upbound\.concurrency/,
    ],
  ];

  it.each(cases)('%s', async (_name, data, key) => {
    const startup = startTestBackend({
      extensionPoints: [[catalogProcessingExtensionPoint, { addEntityProvider: () => {} }]],
      features: [
        upboundPlugin,
        catalogModuleUpbound,
        upboundServiceFactory,
        mockServices.rootLogger.factory({ level: 'none' }),
        mockServices.rootConfig.factory({ data: { ...base, ...data } }),
        catalogServiceMock.factory({ entities: [] }),
      ],
    });
    const error = await startup.then(
      async b => {
        await b.stop();
        return new Error('the backend started');
      },
      (e: Error) => e,
    );
    expect(error.message).toMatch(key);
    expect(error.message).not.toContain(EXEC_SECRET);
  });
});

describeIfLocalSpace('bad input at run time', () => {
  let server: any;
  let upbound: UpboundService;
  let stop: () => Promise<void>;
  const actions = new Map<string, any>();
  const logger = new CapturingLogger();
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'upbound-it-bad-'));

  beforeAll(async () => {
    const config = spaceConfig(getLocalSpace()!);
    config.upbound.discovery = {
      schedule: { frequency: { minutes: 60 }, timeout: { minutes: 1 } },
    };
    const backend = await startTestBackend({
      extensionPoints: [
        [scaffolderActionsExtensionPoint, { addActions: (...a: any[]) => a.forEach(x => actions.set(x.id, x)) }],
      ],
      features: [
        upboundPlugin,
        scaffolderModuleUpbound,
        upboundServiceFactory,
        captureUpbound(s => (upbound = s)),
        logger.factory(),
        mockServices.rootConfig.factory({ data: config }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        catalogServiceMock.factory({ entities: [] }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    await upbound.inventory({ refresh: true });
  });

  afterAll(async () => {
    await stop?.();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  /** Write calls (apply, create, patch, delete) made to any cluster so far. */
  function writes(): number {
    return Object.values(upbound.stats()).reduce(
      (n, s) =>
        n + (s.byVerb.apply ?? 0) + (s.byVerb.create ?? 0) + (s.byVerb.patch ?? 0) + (s.byVerb.delete ?? 0),
      0,
    );
  }

  async function run(id: string, input: Record<string, unknown>) {
    const ctx = {
      ...createMockActionContext({ input: input as any, workspacePath: workspace }),
      output: () => {},
    };
    await actions.get(id).handler(ctx);
  }

  const claim = (over: Record<string, unknown>) => ({
    controlPlane: DEV_ID,
    apiVersion: 'database.example.org/v1alpha1',
    kind: 'PostgreSQLInstance',
    name: 'it-bad-input',
    namespace: 'payments',
    parameters: { parameters: { storageGB: 20 } },
    ...over,
  });

  function nested(depth: number): Record<string, unknown> {
    let v: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < depth; i++) v = { n: v };
    return v;
  }

  const bomb = [
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
    'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    'parameters: { storageGB: 20, x: *f }',
  ].join('\n');

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['an invalid name', claim({ name: 'Bad_Name!' }), /Invalid name 'Bad_Name!'/],
    ['an invalid namespace', claim({ namespace: 'Not OK' }), /Invalid namespace/],
    ['oversized parameters', claim({ parameters: `parameters:\n  blob: "${'x'.repeat(300_000)}"\n` }), /parameters is too large/],
    ['deeply nested parameters', claim({ parameters: { parameters: { storageGB: 20, deep: nested(100) } } }), /nested too deeply/],
    ['a YAML bomb in manifest mode', claim({ mode: 'manifest', parameters: bomb }), /parameters could not be read|alias/i],
    ['an unknown control plane', claim({ controlPlane: 'space/local/nope/missing' }), /space\/local\/nope\/missing/],
    ['an unknown claim API', claim({ kind: 'NoSuchKind' }), /NoSuchKind/],
    ['parameters the XRD rejects', claim({ parameters: { parameters: { storageGB: 1 } } }), /storageGB must be >= 20/],
  ])('upbound:claim:create refuses %s without writing', async (_name, input, message) => {
    const before = writes();
    await expect(run('upbound:claim:create', input)).rejects.toThrow(message);
    expect(writes()).toBe(before);
    expect(fs.readdirSync(workspace)).toEqual([]);
  });

  it.each<[string, string, Record<string, unknown>, RegExp]>([
    ['connector install into an unknown app cluster', 'upbound:connector:install', { appCluster: 'nope', controlPlane: DEV_ID, claimNamespace: 'x' }, /nope/],
    ['Argo CD connect with an unknown instance', 'upbound:argocd:connect', { controlPlane: DEV_ID, argocdInstance: 'nope', repoUrl: 'https://example.com/r.git', path: 'p' }, /nope/],
    ['Flux connect with an invalid name', 'upbound:flux:connect', { controlPlane: DEV_ID, name: 'Bad Name', gitRepository: { url: 'https://example.com/r.git' }, path: 'p' }, /name/],
    ['a kubeconfig for an unknown control plane', 'upbound:controlplane:kubeconfig', { controlPlane: 'direct/nope' }, /direct\/nope/],
  ])('%s is refused without writing', async (_name, id, input, message) => {
    const before = writes();
    await expect(run(id, input)).rejects.toThrow(message);
    expect(writes()).toBe(before);
  });

  it.each<[string, string, number, RegExp]>([
    ['an unknown control plane', `/controlplanes/${encodeURIComponent('space/local/nope/missing')}`, 404, /space\/local\/nope\/missing/],
    ['claims of an unknown control plane', `/controlplanes/${encodeURIComponent('direct/nope')}/claims`, 404, /direct\/nope/],
    ['a page size out of range', `/controlplanes/${encodeURIComponent(DEV_ID)}/claims?limit=100000`, 400, /limit/],
    ['an object query without a name', `/controlplanes/${encodeURIComponent(DEV_ID)}/object?apiVersion=v1&kind=ConfigMap`, 400, /name/],
    ['a Secret by coordinates', `/controlplanes/${encodeURIComponent(DEV_ID)}/object?apiVersion=v1&kind=Secret&namespace=default&name=x`, 400, /Secret/i],
  ])('GET %s is a clear client error', async (_name, url, status, message) => {
    const res = await request(server).get(`/api/upbound${url}`);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
  });

  it('refuses malformed and oversized bodies of day-2 operations', async () => {
    const before = writes();
    const url = `/api/upbound/controlplanes/${encodeURIComponent(DEV_ID)}/pause`;
    const missing = await request(server).post(url).send({ paused: 'yes' });
    expect(missing.status).toBe(400);
    const broken = await request(server).post(url).set('Content-Type', 'application/json').send('{"paused": tru');
    expect(broken.status).toBe(400);
    const huge = await request(server).post(url).send({ apiVersion: 'v1', kind: 'X', name: 'x', paused: true, pad: 'x'.repeat(2_000_000) });
    expect(huge.status).toBe(413);
    expect(writes()).toBe(before);
  });

  it('stays up and serves after all of the above', async () => {
    expect((await request(server).get('/api/upbound/health')).status).toBe(200);
    const list = await request(server).get('/api/upbound/controlplanes');
    expect(list.status).toBe(200);
    expect(list.body.items.find((i: any) => i.id === DEV_ID).counts.claimCount).toBeGreaterThan(0);
  });
});
