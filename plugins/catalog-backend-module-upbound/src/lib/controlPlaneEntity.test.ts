import { isValidEntityName } from '@upbound-backstage/plugin-upbound-common';
import { controlPlane, mappingContext } from '../__fixtures__';
import { controlPlaneToEntity } from './controlPlaneEntity';

describe('controlPlaneToEntity', () => {
  it('maps a cloud control plane with annotations, console link, owner and served APIs', () => {
    const cp = controlPlane({
      id: 'cloud/upbound-gcp-us-west-1/default/prod',
      source: 'cloud',
      space: 'upbound-gcp-us-west-1',
      group: 'default',
      name: 'prod',
      owner: 'group:default/sre',
      consoleUrl: 'https://console.upbound.io/acme/controlplanes/default/prod',
      message: 'All good',
    });
    const e = controlPlaneToEntity(
      cp,
      ['api:default/b', 'api:default/a'],
      mappingContext(),
    );
    expect(isValidEntityName(e.metadata.name)).toBe(true);
    expect(e.metadata.title).toBe('prod');
    expect(e.metadata.description).toContain('All good');
    expect(e.metadata.links).toEqual([
      { url: cp.consoleUrl, title: 'Upbound console', icon: 'dashboard' },
    ]);
    expect(e.metadata.annotations).toMatchObject({
      'upbound.io/control-plane-id': cp.id,
      'upbound.io/source': 'cloud',
      'upbound.io/space': 'upbound-gcp-us-west-1',
      'upbound.io/group': 'default',
      'upbound.io/control-plane': 'prod',
      'upbound.io/crossplane-version': '1.20.0',
      'upbound.io/ready': 'True',
    });
    expect(e.spec).toEqual({
      type: 'upbound-control-plane',
      owner: 'group:default/sre',
      dependencyOf: ['api:default/a', 'api:default/b'],
    });
  });

  it('falls back to the group mapping, then the default owner; direct control planes have no Space', () => {
    const ctx = mappingContext({
      namespaceOwners: { platform: 'group:default/platform-team' },
    });
    expect(controlPlaneToEntity(controlPlane(), [], ctx).spec?.owner).toBe(
      'group:default/platform-team',
    );
    const direct = controlPlaneToEntity(
      controlPlane({
        id: 'direct/oss-dev',
        source: 'direct',
        space: undefined,
        group: undefined,
        name: 'oss-dev',
        ready: { state: 'False', reason: 'Unreachable' },
      }),
      [],
      ctx,
    );
    expect(direct.spec?.owner).toBe('group:default/platform');
    expect(direct.metadata.annotations).not.toHaveProperty('upbound.io/space');
    expect(direct.metadata.annotations?.['upbound.io/status-reason']).toBe(
      'Unreachable',
    );
    expect(direct.spec).not.toHaveProperty('dependencyOf');
  });

  it('keeps control planes with the same name in different groups and Spaces apart', () => {
    const ctx = mappingContext();
    const names = [
      controlPlane(),
      controlPlane({ id: 'space/local/other/ctp-a', group: 'other' }),
      controlPlane({ id: 'space/remote/platform/ctp-a', space: 'remote' }),
      controlPlane({ id: 'direct/ctp-a', source: 'direct' }),
    ].map(cp => controlPlaneToEntity(cp, [], ctx).metadata.name);
    expect(new Set(names).size).toBe(4);
  });
});
