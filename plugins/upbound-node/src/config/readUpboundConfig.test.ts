import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { readUpboundConfig } from './readUpboundConfig';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
const SECRET = 'super-secret-token-value-123';

function kubeconfig(
  user: Record<string, unknown>,
  server = 'https://127.0.0.1:6443',
): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'hub',
        cluster: {
          server,
          'certificate-authority-data': Buffer.from(CA).toString('base64'),
        },
      },
    ],
    users: [{ name: 'admin', user }],
    contexts: [
      { name: 'hub', context: { cluster: 'hub', user: 'admin' } },
      { name: 'other', context: { cluster: 'hub', user: 'admin' } },
    ],
    'current-context': 'hub',
  });
}

const read = (upbound: unknown, extra: Record<string, unknown> = {}) =>
  readUpboundConfig(new ConfigReader({ upbound, ...extra } as any));

describe('readUpboundConfig', () => {
  it('returns defaults without an upbound block', () => {
    const c = readUpboundConfig(new ConfigReader({}));
    expect(c.cloud).toBeUndefined();
    expect(c.concurrency).toEqual({ perCluster: 8, discovery: 4 });
    expect(c.timeouts.requestMs).toBe(10000);
    expect(c.endpoints.api).toBe('https://api.upbound.io');
  });

  it('reads the full shape', () => {
    const c = read({
      organization: 'acme',
      token: SECRET,
      endpoints: { api: 'https://api.test', auth: 'https://auth.test/' },
      cloud: { spaces: ['upbound-gcp-us-west-1'] },
      spaces: [
        {
          name: 'local',
          hub: { kubeconfig: kubeconfig({ token: SECRET }), context: 'other' },
          ingress: { host: '127.0.0.1:18443', caData: CA },
          owner: 'group:default/platform',
        },
      ],
      controlPlanes: [
        {
          name: 'oss-dev',
          url: 'https://127.0.0.1:16444',
          token: SECRET,
          caData: Buffer.from(CA).toString('base64'),
        },
      ],
      appClusters: [
        {
          name: 'app-1',
          title: 'App 1',
          clusterId: 'id-1',
          url: 'https://127.0.0.1:16450',
          token: SECRET,
        },
      ],
      argocd: [
        {
          name: 'main',
          appCluster: 'app-1',
          url: 'https://argocd.example.com',
        },
      ],
      flux: [{ name: 'main', appCluster: 'app-1' }],
      owners: {
        namespaces: { 'team-a': 'group:default/team-a' },
        default: 'group:default/platform',
      },
      concurrency: { perCluster: 2, discovery: 1 },
      timeouts: { requestMs: 500 },
      discovery: {
        schedule: { frequency: { seconds: 30 }, timeout: { seconds: 20 } },
      },
    });
    expect(c.cloud).toEqual({
      enabled: true,
      organization: 'acme',
      token: SECRET,
      spaces: ['upbound-gcp-us-west-1'],
    });
    expect(c.endpoints.auth).toBe('https://auth.test');
    expect(c.spaces[0].hub).toMatchObject({
      server: 'https://127.0.0.1:6443',
      token: SECRET,
      caData: CA,
    });
    expect(c.spaces[0].ingress).toEqual({
      host: '127.0.0.1:18443',
      caData: CA,
    });
    expect(c.controlPlanes[0].connection.caData).toBe(CA);
    expect(c.appClusters[0]).toMatchObject({
      name: 'app-1',
      source: 'upbound',
      clusterId: 'id-1',
    });
    expect(c.argocd[0]).toMatchObject({
      namespace: 'argocd',
      url: 'https://argocd.example.com',
    });
    expect(c.flux[0].namespace).toBe('flux-system');
    expect(c.owners.label).toBe('upbound.io/owner');
    expect(c.concurrency).toEqual({ perCluster: 2, discovery: 1 });
    expect(c.discovery.schedule.frequency).toEqual({ seconds: 30 });
  });

  it('reads kubeconfig files with a client certificate', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'upbound-config-'));
    const file = path.join(dir, 'hub.kubeconfig');
    fs.writeFileSync(
      file,
      kubeconfig({
        'client-certificate-data': Buffer.from('CERT').toString('base64'),
        'client-key-data': Buffer.from('KEY').toString('base64'),
      }),
    );
    const c = read({
      spaces: [{ name: 'local', hub: { kubeconfigPath: file } }],
    });
    expect(c.spaces[0].hub).toMatchObject({ certData: 'CERT', keyData: 'KEY' });
    expect(c.spaces[0].hub.token).toBeUndefined();
  });

  it('uses Kubernetes plugin clusters when asked, skipping ones without a static token', () => {
    const c = read(
      {
        useKubernetesPluginClusters: true,
        appClusters: [{ name: 'dup', url: 'https://a.test', token: 't' }],
      },
      {
        kubernetes: {
          clusterLocatorMethods: [
            { type: 'catalog' },
            {
              type: 'config',
              clusters: [
                {
                  name: 'k1',
                  url: 'https://k1.test',
                  authProvider: 'serviceAccount',
                  serviceAccountToken: 't1',
                  skipTLSVerify: true,
                },
                {
                  name: 'k2',
                  url: 'https://k2.test',
                  authMetadata: {
                    'kubernetes.io/auth-provider': 'serviceAccount',
                    serviceAccountToken: 't2',
                  },
                },
                { name: 'k3', url: 'https://k3.test', authProvider: 'google' },
                {
                  name: 'dup',
                  url: 'https://dup.test',
                  authProvider: 'serviceAccount',
                  serviceAccountToken: 'x',
                },
              ],
            },
          ],
        },
      },
    );
    expect(c.appClusters.map(a => [a.name, a.source])).toEqual([
      ['dup', 'upbound'],
      ['k1', 'kubernetes-plugin'],
      ['k2', 'kubernetes-plugin'],
    ]);
    expect(c.appClusters[1].connection).toMatchObject({
      token: 't1',
      dangerouslySkipTLSVerify: true,
    });
    expect(c.warnings).toEqual([expect.stringContaining("('k3') is skipped")]);
  });

  it.each([
    [
      {
        appClusters: [
          { name: 'a', url: 'https://a.test', token: 't' },
          { name: 'b', url: 'http://b.test', token: 't' },
        ],
      },
      'upbound.appClusters[1].url must be an https URL',
    ],
    [
      { appClusters: [{ name: 'a', url: 'not a url', token: 't' }] },
      'upbound.appClusters[0].url must be an https URL',
    ],
    [
      { appClusters: [{ name: 'a', url: 'https://a.test' }] },
      'upbound.appClusters[0].token is required',
    ],
    [
      { appClusters: [{ name: 'a' }] },
      'upbound.appClusters[0] needs either url',
    ],
    [
      {
        appClusters: [{ name: 'Bad_Name', url: 'https://a.test', token: 't' }],
      },
      'upbound.appClusters[0].name must be a lower-case DNS label',
    ],
    [
      { argocd: [{ name: 'main', appCluster: 'nope' }] },
      "upbound.argocd[0].appCluster names 'nope', which is not a configured app cluster",
    ],
    [
      { flux: [{ name: 'main', appCluster: 'nope' }] },
      "upbound.flux[0].appCluster names 'nope'",
    ],
    [
      { organization: 'acme' },
      'upbound.token is required when upbound.organization is set',
    ],
    [{ token: SECRET }, 'upbound.organization is required'],
    [{ cloud: { enabled: true } }, 'upbound.cloud.enabled is true but'],
    [{ spaces: [{ name: 'x' }] }, 'upbound.spaces[0].hub is required'],
    [
      { spaces: [{ name: 'x', hub: { context: 'y' } }] },
      'upbound.spaces[0].hub needs kubeconfigPath or kubeconfig',
    ],
    [
      {
        spaces: [
          {
            name: 'x',
            hub: { kubeconfig: kubeconfig({ token: 't' }), context: 'missing' },
          },
        ],
      },
      "upbound.spaces[0].hub.context names context 'missing'",
    ],
    [
      {
        spaces: [
          { name: 'x', hub: { kubeconfigPath: '/nonexistent/kubeconfig' } },
        ],
      },
      'upbound.spaces[0].hub.kubeconfigPath points to a kubeconfig file that cannot be read',
    ],
    [
      {
        spaces: [
          {
            name: 'x',
            hub: {
              kubeconfig: kubeconfig({
                exec: {
                  command: 'up',
                  args: ['org', 'token'],
                  apiVersion: 'client.authentication.k8s.io/v1',
                },
              }),
            },
          },
        ],
      },
      'upbound.spaces[0].hub.kubeconfig uses an exec credential plugin',
    ],
    [
      { controlPlanes: [{ name: 'a', kubeconfig: kubeconfig({}) }] },
      'upbound.controlPlanes[0].kubeconfig has no static credential',
    ],
    [
      { controlPlanes: [{ name: 'a', kubeconfig: 'a: [b' }] },
      'upbound.controlPlanes[0].kubeconfig is not a valid kubeconfig',
    ],
    [
      {
        controlPlanes: [
          { name: 'a', url: 'https://a.test', token: 't' },
          { name: 'a', url: 'https://b.test', token: 't' },
        ],
      },
      "upbound.controlPlanes[1].name 'a' is used twice",
    ],
    [
      {
        controlPlanes: [
          {
            name: 'a',
            url: 'https://a.test',
            token: 't',
            caData: 'bm90IGEgY2VydA==',
          },
        ],
      },
      'upbound.controlPlanes[0].caData must be a PEM certificate',
    ],
    [
      { concurrency: { perCluster: 0 } },
      'upbound.concurrency.perCluster must be a positive integer',
    ],
    [
      { endpoints: { api: 'http://api.test' } },
      'upbound.endpoints.api must be an https URL',
    ],
  ])(
    'rejects invalid config %# with a message naming the key',
    (upbound, message) => {
      expect(() => read(upbound)).toThrow(message);
    },
  );

  it('never echoes a token or kubeconfig content in errors', () => {
    const bad = [
      {
        spaces: [
          {
            name: 'x',
            hub: { kubeconfig: `${kubeconfig({ token: SECRET })}\n: [broken` },
          },
        ],
      },
      {
        controlPlanes: [
          {
            name: 'a',
            kubeconfig: kubeconfig({ token: SECRET, exec: { command: 'x' } }),
          },
        ],
      },
      { controlPlanes: [{ name: 'a', url: 'http://a.test', token: SECRET }] },
    ];
    for (const upbound of bad) {
      let message = '';
      try {
        read(upbound);
      } catch (e) {
        message = String((e as Error).message) + String((e as Error).stack);
      }
      expect(message).not.toBe('');
      expect(message).not.toContain(SECRET);
      expect(message).not.toContain('BEGIN CERTIFICATE');
    }
  });
});
