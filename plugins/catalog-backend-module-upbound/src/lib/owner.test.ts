import { resolveOwner } from './owner';

describe('resolveOwner', () => {
  const rules = {
    ownerLabel: 'upbound.io/owner',
    namespaceOwners: { 'team-a': 'group:default/team-a' },
    defaultOwner: 'group:default/platform',
  };

  it('prefers the label, then the annotation, then the namespace, then the default', () => {
    const both = {
      metadata: {
        labels: { 'upbound.io/owner': 'from-label' },
        annotations: { 'upbound.io/owner': 'user:default/jane' },
      },
    };
    expect(resolveOwner(both, 'team-a', rules)).toBe(
      'group:default/from-label',
    );
    expect(
      resolveOwner(
        { metadata: { annotations: both.metadata.annotations } },
        'team-a',
        rules,
      ),
    ).toBe('user:default/jane');
    expect(resolveOwner({ metadata: {} }, 'team-a', rules)).toBe(
      'group:default/team-a',
    );
    expect(resolveOwner({ metadata: {} }, 'team-b', rules)).toBe(
      'group:default/platform',
    );
    expect(resolveOwner({}, undefined, rules)).toBe('group:default/platform');
  });

  it('reads a configurable key and skips values that are not entity refs', () => {
    const custom = { ...rules, ownerLabel: 'example.com/team' };
    expect(
      resolveOwner(
        { metadata: { labels: { 'example.com/team': 'payments' } } },
        'x',
        custom,
      ),
    ).toBe('group:default/payments');
    expect(
      resolveOwner(
        { metadata: { annotations: { 'example.com/team': 'a:b:c/d' } } },
        'team-a',
        custom,
      ),
    ).toBe('group:default/team-a');
  });
});
