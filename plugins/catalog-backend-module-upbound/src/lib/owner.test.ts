import { entityOwner } from './owner';

describe('entityOwner', () => {
  const rules = {
    ownerLabel: 'example.com/team',
    namespaceOwners: { 'team-a': 'group:default/team-a' },
    defaultOwner: 'group:default/platform',
  };

  it('reads the configured key on claims, then the namespace, then the default', () => {
    expect(
      entityOwner(
        rules,
        { metadata: { annotations: { 'example.com/team': 'user:jane' } } },
        { namespace: 'team-a' },
      ),
    ).toBe('user:default/jane');
    expect(entityOwner(rules, { metadata: {} }, { namespace: 'team-a' })).toBe(
      'group:default/team-a',
    );
    expect(entityOwner(rules, undefined)).toBe('group:default/platform');
  });

  it("takes a control plane's owner from discovery before its group's", () => {
    expect(
      entityOwner(rules, undefined, {
        namespace: 'team-a',
        configured: 'group:default/team-x',
      }),
    ).toBe('group:default/team-x');
    expect(entityOwner(rules, undefined, { namespace: 'team-a' })).toBe(
      'group:default/team-a',
    );
  });
});
