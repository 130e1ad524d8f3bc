import {
  appClusterEntityName,
  claimApiEntityName,
  claimEntityName,
  connectorObjectName,
  controlPlaneEntityName,
  isDns1123Label,
  isDns1123Subdomain,
  isValidEntityName,
  toEntityName,
} from './naming';

describe('entity naming', () => {
  it('is stable and valid', () => {
    const a = controlPlaneEntityName({
      source: 'space',
      space: 'local',
      group: 'default',
      name: 'ctp1',
    });
    expect(a).toBe(
      controlPlaneEntityName({
        source: 'space',
        space: 'local',
        group: 'default',
        name: 'ctp1',
      }),
    );
    expect(a).toMatch(/^local-default-ctp1-[0-9a-f]{8}$/);
    expect(isValidEntityName(a)).toBe(true);
    expect(
      controlPlaneEntityName({ source: 'direct', name: 'oss-dev' }),
    ).toMatch(/^oss-dev-[0-9a-f]{8}$/);
  });

  it('is collision-safe where joining is ambiguous', () => {
    const x = toEntityName(['a-b', 'c']);
    const y = toEntityName(['a', 'b-c']);
    expect(x).not.toBe(y);
    expect(toEntityName(['Team_A'])).not.toBe(toEntityName(['team-a']));
    const c1 = claimEntityName({
      controlPlaneId: 'space/s/g/cp1',
      kind: 'Bucket',
      namespace: 'ns',
      name: 'b',
    });
    const c2 = claimEntityName({
      controlPlaneId: 'space/s/g/cp2',
      kind: 'Bucket',
      namespace: 'ns',
      name: 'b',
    });
    const c3 = claimEntityName({
      controlPlaneId: 'space/s/g/cp1',
      kind: 'Database',
      namespace: 'ns',
      name: 'b',
    });
    expect(new Set([c1, c2, c3]).size).toBe(3);
  });

  it('handles long names and weird characters', () => {
    const long = toEntityName(['x'.repeat(100), 'y'.repeat(100)]);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(isValidEntityName(long)).toBe(true);
    for (const weird of [
      ['ÄÖÜ', '日本'],
      ['---'],
      [''],
      ['a.b/c:d'],
      ['UPPER', 'Case'],
    ]) {
      const n = toEntityName(weird);
      expect(isValidEntityName(n)).toBe(true);
    }
    expect(toEntityName(['日本'])).toMatch(/^x-[0-9a-f]{8}$/);
    const claim = claimEntityName({
      controlPlaneId: 'cloud/space/group/mcp',
      controlPlaneName: 'a-very-long-control-plane-name-that-goes-on',
      kind: 'Bucket',
      namespace: 'some-long-namespace-name',
      name: 'claim-with-a-long-name-too',
    });
    expect(claim.length).toBeLessThanOrEqual(63);
    expect(isValidEntityName(claim)).toBe(true);
    expect(claim).not.toMatch(/--/);
  });

  it('names claim APIs and app clusters', () => {
    expect(
      claimApiEntityName({
        group: 'storage.example.org',
        kind: 'XBucket',
        claimKind: 'Bucket',
      }),
    ).toMatch(/^bucket-storage-example-org-[0-9a-f]{8}$/);
    expect(
      claimApiEntityName({ group: 'platform.example.org', kind: 'Database' }),
    ).toMatch(/^database-platform-example-org-/);
    expect(appClusterEntityName('app-1')).toMatch(
      /^cluster-app-1-[0-9a-f]{8}$/,
    );
  });

  it('validates Kubernetes names', () => {
    expect(isDns1123Label('team-a')).toBe(true);
    expect(isDns1123Label('Team-a')).toBe(false);
    expect(isDns1123Label('a'.repeat(64))).toBe(false);
    expect(isDns1123Subdomain('xbuckets.storage.example.org')).toBe(true);
    expect(isDns1123Subdomain('-bad.example')).toBe(false);
    expect(isValidEntityName('a_b.c-d')).toBe(true);
    expect(isValidEntityName('-a')).toBe(false);
  });
});

describe('connectorObjectName', () => {
  it('matches the documented MCP Connector hash', () => {
    expect(
      connectorObjectName(
        'my-bucket',
        'test',
        '00000000-0000-0000-0000-000000000000',
      ),
    ).toBe('claim-c603e518969b413e');
    expect(
      connectorObjectName(
        'my-bucket',
        'test',
        '00000000-0000-0000-0000-000000000000',
        'composite',
      ),
    ).toBe('nxr-c603e518969b413e');
  });

  it('differs per cluster and namespace', () => {
    const a = connectorObjectName('b', 'ns', 'c1');
    expect(a).not.toBe(connectorObjectName('b', 'ns', 'c2'));
    expect(a).not.toBe(connectorObjectName('b', 'ns2', 'c1'));
    expect(isDns1123Label(a)).toBe(true);
  });
});
