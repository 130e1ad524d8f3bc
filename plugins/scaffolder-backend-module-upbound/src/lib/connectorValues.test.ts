import { connectorTokenPath, connectorValues, connectorValueStyle } from './connectorValues';

const server =
  'https://spaces.example.com:8443/apis/spaces.upbound.io/v1beta1/namespaces/platform/controlplanes/ctp-a/k8s';

describe('connector values', () => {
  it.each([
    ['0.7.0', 'cli'],
    ['v0.7.9', 'cli'],
    ['0.8.0', 'docs'],
    ['0.10.0', 'docs'],
    ['1.0.0-rc.1', 'docs'],
  ])('chart %s reads %s-style values', (version, style) => {
    expect(connectorValueStyle(version)).toBe(style);
  });

  it('refuses something that is not a version', () => {
    expect(() => connectorValueStyle('latest')).toThrow(/Invalid chartVersion 'latest'/);
  });

  it('writes CLI-style keys for old charts', () => {
    expect(
      connectorValues({
        style: 'cli',
        account: 'acme',
        controlPlane: { name: 'ctp-a', group: 'platform' },
        server,
        claimNamespace: 'app-1',
        clusterId: 'c1',
      }),
    ).toEqual({
      mcp: { account: 'acme', name: 'ctp-a', namespace: 'app-1', host: 'https://spaces.example.com:8443' },
    });
    expect(connectorTokenPath('cli')).toBe('mcp.token');
  });

  it('writes documented keys and clusterID for 0.8 and later', () => {
    expect(
      connectorValues({
        style: 'docs',
        account: 'acme',
        controlPlane: { name: 'ctp-a', group: 'platform' },
        server,
        claimNamespace: 'app-1',
        clusterId: 'c1',
      }),
    ).toEqual({
      upbound: { account: 'acme' },
      spaces: {
        host: 'spaces.example.com:8443',
        insecureSkipTLSVerify: false,
        controlPlane: { name: 'ctp-a', group: 'platform', claimNamespace: 'app-1' },
      },
      clusterID: 'c1',
    });
    expect(connectorTokenPath('docs')).toBe('upbound.token');
  });
});
