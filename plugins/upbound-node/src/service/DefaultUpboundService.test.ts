import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { createUpboundService } from './DefaultUpboundService';
import type { InventorySnapshot } from '../types';
import xrdV1 from '../testUtils/__fixtures__/xrd-v1-bucket.json';

const server = setupServer();
registerMswTestHooks(server);

const PAT = `e30.${Buffer.from(JSON.stringify({ jti: 'jti-1' })).toString(
  'base64url',
)}.sig`;
const HUB_TOKEN = 'hub-token-secret-xyz';
const DIRECT_TOKEN = 'direct-token-secret-xyz';
const ORG_TOKEN = 'org-token-secret-xyz';
const SID = 'session-secret-xyz';
const CA =
  '-----BEGIN CERTIFICATE-----\nMIIBfakeCA\n-----END CERTIFICATE-----\n';
const SECRETS = [PAT, HUB_TOKEN, DIRECT_TOKEN, ORG_TOKEN, SID, 'MIIBfakeCA'];

const hubKubeconfig = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [{ name: 'hub', cluster: { server: 'https://hub.test:6443' } }],
  users: [{ name: 'admin', user: { token: HUB_TOKEN } }],
  contexts: [{ name: 'hub', context: { cluster: 'hub', user: 'admin' } }],
  'current-context': 'hub',
});

function capturingLogger(lines: string[]): LoggerService {
  const log = (level: string) => (message: string, meta?: unknown) => {
    lines.push(
      `${level} ${message} ${
        meta
          ? JSON.stringify(meta, Object.getOwnPropertyNames(meta as object))
          : ''
      }`,
    );
  };
  const logger: LoggerService = {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: () => logger,
  };
  return logger;
}

const ctp = (
  name: string,
  group: string,
  ready: 'True' | 'False',
  labels: Record<string, string> = {},
) => ({
  apiVersion: 'spaces.upbound.io/v1beta1',
  kind: 'ControlPlane',
  metadata: {
    name,
    namespace: group,
    labels,
    creationTimestamp: '2025-01-01T00:00:00Z',
  },
  spec: { crossplane: { version: '1.20.0' } },
  status: {
    message: ready === 'True' ? '' : 'starting',
    conditions: [
      {
        type: 'Ready',
        status: ready,
        reason: ready === 'True' ? 'Available' : 'Creating',
      },
      { type: 'Healthy', status: 'True', reason: 'HealthyControlPlane' },
    ],
  },
});

const list = (items: unknown[]) =>
  HttpResponse.json({ metadata: { resourceVersion: '1' }, items });
const bearer = (req: Request) =>
  req.headers.get('authorization')?.replace(/^Bearer /, '');

function handlers(state: { hubDown: boolean }) {
  return [
    // Upbound Cloud
    http.post(
      'https://auth.test/apis/tokenexchange.upbound.io/v1alpha1/orgscopedtokens',
      () => HttpResponse.json({ access_token: ORG_TOKEN, expires_in: 3600 }),
    ),
    http.post(
      'https://api.test/v1/login',
      () =>
        new HttpResponse(null, {
          status: 200,
          headers: { 'Set-Cookie': `SID=${SID}; Path=/` },
        }),
    ),
    http.get(
      'https://api.test/apis/upbound.io/v1alpha1/namespaces/acme/spaces',
      ({ request }) => {
        if (
          bearer(request) !== SID ||
          !request.headers.get('cookie')?.includes(`SID=${SID}`)
        ) {
          return new HttpResponse(null, { status: 401 });
        }
        return list([
          {
            metadata: {
              name: 'gcp-1',
              labels: { 'spaces.upbound.io/mode': 'managed' },
            },
            spec: { provider: 'gcp', region: 'us-west-1' },
            status: { apiURL: 'https://gcp-1.api.test' },
          },
          {
            metadata: {
              name: 'old',
              labels: { 'spaces.upbound.io/mode': 'legacy' },
            },
            status: { apiURL: 'https://old.api.test' },
          },
        ]);
      },
    ),
    http.get(
      'https://gcp-1.api.test/api/v1/namespaces/upbound-system/configmaps/ingress-public',
      ({ request }) =>
        bearer(request) === SID
          ? HttpResponse.json({
              data: {
                'ingress-host': 'https://gcp-1.ingress.test',
                'ingress-ca': CA,
              },
            })
          : new HttpResponse(null, { status: 401 }),
    ),
    http.get('https://gcp-1.ingress.test/api/v1/namespaces', ({ request }) => {
      expect(bearer(request)).toBe(ORG_TOKEN);
      expect(new URL(request.url).searchParams.get('labelSelector')).toBe(
        'spaces.upbound.io/group=true',
      );
      return list([
        { metadata: { name: 'default' } },
        { metadata: { name: 'team-a' } },
      ]);
    }),
    http.get(
      'https://gcp-1.ingress.test/apis/spaces.upbound.io/v1beta1/namespaces/:group/controlplanes',
      ({ params }) =>
        list(
          params.group === 'default'
            ? [ctp('prod', 'default', 'True')]
            : [ctp('dev', 'team-a', 'False')],
        ),
    ),
    // Self-hosted Space
    http.get(
      'https://hub.test:6443/api/v1/namespaces/upbound-system/configmaps/ingress-public',
      () =>
        state.hubDown
          ? HttpResponse.json(
              {
                kind: 'Status',
                code: 401,
                message: `token ${HUB_TOKEN} rejected`,
              },
              { status: 401 },
            )
          : HttpResponse.json({
              data: { 'ingress-host': '127.0.0.1:18443', 'ingress-ca': CA },
            }),
    ),
    http.get('https://hub.test:6443/api/v1/namespaces', ({ request }) => {
      expect(bearer(request)).toBe(HUB_TOKEN);
      return list([{ metadata: { name: 'default' } }]);
    }),
    http.get(
      'https://hub.test:6443/apis/spaces.upbound.io/v1beta1/namespaces/default/controlplanes',
      () =>
        list([
          ctp('ctp1', 'default', 'True', {
            'upbound.io/owner': 'group:default/team-x',
          }),
        ]),
    ),
    // A control plane through the local ingress
    http.get(
      'https://127.0.0.1:18443/apis/spaces.upbound.io/v1beta1/namespaces/default/controlplanes/ctp1/k8s/api',
      () => HttpResponse.json({ kind: 'APIVersions', versions: ['v1'] }),
    ),
    http.get(
      'https://127.0.0.1:18443/apis/spaces.upbound.io/v1beta1/namespaces/default/controlplanes/ctp1/k8s/api/v1',
      () => HttpResponse.json({ resources: [] }),
    ),
    http.get(
      'https://127.0.0.1:18443/apis/spaces.upbound.io/v1beta1/namespaces/default/controlplanes/ctp1/k8s/apis',
      () =>
        HttpResponse.json({
          kind: 'APIGroupList',
          groups: [
            {
              name: 'apiextensions.crossplane.io',
              versions: [{ version: 'v1' }],
            },
          ],
        }),
    ),
    http.get(
      'https://127.0.0.1:18443/apis/spaces.upbound.io/v1beta1/namespaces/default/controlplanes/ctp1/k8s/apis/apiextensions.crossplane.io/v1',
      () =>
        HttpResponse.json({
          resources: [
            {
              name: 'compositeresourcedefinitions',
              kind: 'CompositeResourceDefinition',
              namespaced: false,
            },
          ],
        }),
    ),
    http.get(
      'https://127.0.0.1:18443/apis/spaces.upbound.io/v1beta1/namespaces/default/controlplanes/ctp1/k8s/apis/apiextensions.crossplane.io/v1/compositeresourcedefinitions',
      ({ request }) => {
        expect(bearer(request)).toBe(HUB_TOKEN);
        return list([xrdV1]);
      },
    ),
    // Direct control plane
    http.get('https://oss.test/version', ({ request }) => {
      expect(bearer(request)).toBe(DIRECT_TOKEN);
      return HttpResponse.json({ gitVersion: 'v1.33.0' });
    }),
  ];
}

const config = new ConfigReader({
  upbound: {
    organization: 'acme',
    token: PAT,
    endpoints: { api: 'https://api.test', auth: 'https://auth.test' },
    spaces: [
      {
        name: 'local',
        hub: { kubeconfig: hubKubeconfig },
        owner: 'group:default/platform',
      },
      { name: 'off', enabled: false, hub: { kubeconfig: hubKubeconfig } },
    ],
    controlPlanes: [
      { name: 'oss', url: 'https://oss.test', token: DIRECT_TOKEN },
      {
        name: 'disabled',
        enabled: false,
        url: 'https://disabled.test',
        token: DIRECT_TOKEN,
      },
    ],
    appClusters: [
      {
        name: 'app-1',
        url: 'https://app.test',
        token: 'app-token',
        clusterId: 'cid-1',
      },
    ],
    argocd: [{ name: 'main', appCluster: 'app-1' }],
    owners: { namespaces: { 'team-a': 'group:default/team-a' } },
  },
});

describe('DefaultUpboundService', () => {
  it('discovers Cloud Spaces, self-hosted Spaces and direct control planes into one inventory', async () => {
    const state = { hubDown: false };
    server.use(...handlers(state));
    const lines: string[] = [];
    const upbound = createUpboundService({
      config,
      logger: capturingLogger(lines),
      sleep: async () => {},
    });
    const seen: InventorySnapshot[] = [];
    upbound.onInventoryChange(s => seen.push(s));

    const inv = await upbound.inventory();
    expect(inv.errors).toEqual([]);
    expect(inv.controlPlanes.map(c => [c.id, c.ready.state, c.owner])).toEqual([
      ['cloud/gcp-1/default/prod', 'True', undefined],
      ['cloud/gcp-1/team-a/dev', 'False', 'group:default/team-a'],
      ['direct/oss', 'True', undefined],
      ['space/local/default/ctp1', 'True', 'group:default/team-x'],
    ]);
    const prod = inv.controlPlanes[0];
    expect(prod).toMatchObject({
      source: 'cloud',
      space: 'gcp-1',
      group: 'default',
      name: 'prod',
      crossplaneVersion: '1.20.0',
      healthy: { state: 'True', reason: 'HealthyControlPlane' },
      server:
        'https://gcp-1.ingress.test/apis/spaces.upbound.io/v1beta1/namespaces/default/controlplanes/prod/k8s',
      caData: CA,
    });
    expect(inv.controlPlanes[1].message).toBe('starting');

    // Claim APIs through the control plane's /k8s URL.
    const apis = await upbound.claimApis('space/local/default/ctp1');
    expect(apis.map(a => [a.kind, a.claimKind])).toEqual([
      ['XBucket', 'Bucket'],
    ]);
    await upbound.claimApis('space/local/default/ctp1');
    expect(upbound.stats()['space/local/default/ctp1'].byVerb.list).toBe(1);

    // Credentials for deliberate hand-off.
    expect(
      await upbound.controlPlaneCredentials('cloud/gcp-1/default/prod'),
    ).toMatchObject({ bearerToken: ORG_TOKEN, caData: CA });
    expect(
      await upbound.controlPlaneCredentials('space/local/default/ctp1'),
    ).toMatchObject({ bearerToken: HUB_TOKEN });
    await expect(upbound.controlPlane('direct/disabled')).rejects.toThrow(
      "Control plane 'direct/disabled' not found",
    );

    expect(upbound.appCluster('app-1')).toMatchObject({
      clusterId: 'cid-1',
      source: 'upbound',
      server: 'https://app.test',
    });
    expect(upbound.argoCdInstances()[0]).toMatchObject({
      name: 'main',
      namespace: 'argocd',
    });
    expect(upbound.argoCdInstances()[0].request).toBeUndefined();
    expect(seen).toHaveLength(1);

    // The hub fails: its control plane stays, the error is reported, listeners hear about it.
    state.hubDown = true;
    const second = await upbound.inventory({ refresh: true });
    expect(second.controlPlanes.map(c => c.id)).toContain(
      'space/local/default/ctp1',
    );
    expect(second.errors).toEqual([
      expect.objectContaining({
        cluster: 'space/local',
        type: 'unauthorized',
        statusCode: 401,
      }),
    ]);
    expect(seen).toHaveLength(2);

    // Unchanged discovery does not notify.
    await upbound.refresh();
    expect(seen).toHaveLength(2);

    // Nothing secret in any log line or error.
    const everything = [...lines, JSON.stringify(second.errors)].join('\n');
    for (const secret of SECRETS.filter(s => s !== 'MIIBfakeCA')) {
      expect(everything).not.toContain(secret);
    }
    expect(lines.join('\n')).not.toContain('MIIBfakeCA');
  });

  it('keeps every Cloud Space when listing Spaces fails', async () => {
    const state = { hubDown: false };
    server.use(...handlers(state));
    const upbound = createUpboundService({
      config,
      logger: capturingLogger([]),
      sleep: async () => {},
    });
    await upbound.inventory();
    server.use(
      http.get(
        'https://api.test/apis/upbound.io/v1alpha1/namespaces/acme/spaces',
        () => HttpResponse.json({ nope: true }),
      ),
    );
    const inv = await upbound.refresh();
    expect(inv.controlPlanes.filter(c => c.source === 'cloud')).toHaveLength(2);
    expect(inv.errors).toEqual([expect.objectContaining({ cluster: 'cloud' })]);
  });

  it('runs discovery on its timer until stopped', async () => {
    const state = { hubDown: false };
    server.use(...handlers(state));
    const upbound = createUpboundService({
      config,
      logger: capturingLogger([]),
      sleep: async () => {},
    });
    const first = new Promise<InventorySnapshot>(resolve =>
      upbound.onInventoryChange(resolve),
    );
    upbound.start({ frequencyMs: 60_000, initialDelayMs: 0 });
    expect((await first).controlPlanes).toHaveLength(4);
    upbound.stop();
  });
});
