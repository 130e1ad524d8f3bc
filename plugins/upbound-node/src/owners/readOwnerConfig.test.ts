import { ConfigReader } from '@backstage/config';
import { readOwnerConfig } from './readOwnerConfig';

describe('readOwnerConfig', () => {
  it('defaults to the upbound.io/owner key, no namespace owners and no default', () => {
    expect(readOwnerConfig(new ConfigReader({}))).toEqual({
      owners: { label: 'upbound.io/owner', namespaces: {} },
      warnings: [],
    });
  });

  it('reads upbound.owners and normalizes owners to entity refs', () => {
    expect(
      readOwnerConfig(
        new ConfigReader({
          upbound: {
            owners: {
              label: 'example.com/team',
              namespaces: { 'team-a': 'team-a', 'team-b': 'user:jane' },
              default: 'platform',
            },
          },
        }),
      ),
    ).toEqual({
      owners: {
        label: 'example.com/team',
        namespaces: {
          'team-a': 'group:default/team-a',
          'team-b': 'user:default/jane',
        },
        default: 'group:default/platform',
      },
      warnings: [],
    });
  });

  it("still reads the catalog module's former keys, with a warning each", () => {
    const { owners, warnings } = readOwnerConfig(
      new ConfigReader({
        catalog: {
          providers: {
            upbound: {
              ownerLabel: 'example.com/team',
              namespaceOwners: { 'team-a': 'team-a' },
              defaultOwner: 'group:default/platform',
            },
          },
        },
      }),
    );
    expect(owners).toEqual({
      label: 'example.com/team',
      namespaces: { 'team-a': 'group:default/team-a' },
      default: 'group:default/platform',
    });
    expect(warnings).toEqual([
      'catalog.providers.upbound.ownerLabel is deprecated: move it to upbound.owners.label, which discovery, the catalog and upbound:claim:create all read',
      'catalog.providers.upbound.namespaceOwners is deprecated: move it to upbound.owners.namespaces, which discovery, the catalog and upbound:claim:create all read',
      'catalog.providers.upbound.defaultOwner is deprecated: move it to upbound.owners.default, which discovery, the catalog and upbound:claim:create all read',
    ]);
  });

  it('prefers upbound.owners over a former key', () => {
    const { owners, warnings } = readOwnerConfig(
      new ConfigReader({
        upbound: { owners: { label: 'example.com/team' } },
        catalog: {
          providers: { upbound: { ownerLabel: 'old.example.com/o' } },
        },
      }),
    );
    expect(owners.label).toBe('example.com/team');
    expect(warnings).toEqual([
      'catalog.providers.upbound.ownerLabel is deprecated and ignored: upbound.owners.label is set; remove catalog.providers.upbound.ownerLabel',
    ]);
  });

  it('names the key of an owner that is not an entity ref', () => {
    expect(() =>
      readOwnerConfig(
        new ConfigReader({
          upbound: { owners: { namespaces: { 'team-a': 'a:b:c/d' } } },
        }),
      ),
    ).toThrow(
      "upbound.owners.namespaces.team-a must be an entity ref such as group:default/team-a, got 'a:b:c/d'",
    );
  });
});
