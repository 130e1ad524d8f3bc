import { ownerAnnotations, resolveOwner } from './resolveOwner';

describe('resolveOwner', () => {
  const rules = {
    label: 'upbound.io/owner',
    namespaces: { 'team-a': 'group:default/team-a' },
    default: 'group:default/platform',
  };

  it('prefers the label, then the annotation, then the namespace, then the default', () => {
    const both = {
      metadata: {
        labels: { 'upbound.io/owner': 'from-label' },
        annotations: { 'upbound.io/owner': 'user:default/jane' },
      },
    };
    expect(resolveOwner(both, rules, { namespace: 'team-a' })).toBe(
      'group:default/from-label',
    );
    expect(
      resolveOwner(
        { metadata: { annotations: both.metadata.annotations } },
        rules,
        { namespace: 'team-a' },
      ),
    ).toBe('user:default/jane');
    expect(resolveOwner({ metadata: {} }, rules, { namespace: 'team-a' })).toBe(
      'group:default/team-a',
    );
    expect(resolveOwner({ metadata: {} }, rules, { namespace: 'team-b' })).toBe(
      'group:default/platform',
    );
    expect(resolveOwner({}, rules)).toBe('group:default/platform');
  });

  it('reads a configurable key and skips values that are not entity refs', () => {
    const custom = { ...rules, label: 'example.com/team' };
    expect(
      resolveOwner(
        { metadata: { labels: { 'example.com/team': 'payments' } } },
        custom,
        { namespace: 'x' },
      ),
    ).toBe('group:default/payments');
    expect(
      resolveOwner(
        { metadata: { annotations: { 'example.com/team': 'a:b:c/d' } } },
        custom,
        { namespace: 'team-a' },
      ),
    ).toBe('group:default/team-a');
  });

  it("puts a configured owner (a Space's or direct control plane's) before the namespace", () => {
    expect(
      resolveOwner({ metadata: {} }, rules, {
        namespace: 'team-a',
        configured: 'group:default/space-owner',
      }),
    ).toBe('group:default/space-owner');
    expect(
      resolveOwner(
        { metadata: { labels: { 'upbound.io/owner': 'team-x' } } },
        rules,
        { configured: 'group:default/space-owner' },
      ),
    ).toBe('group:default/team-x');
  });

  it('is undefined when nothing applies and no default is set', () => {
    const { default: _d, ...noDefault } = rules;
    expect(resolveOwner(undefined, noDefault, { namespace: 'x' })).toBe(
      undefined,
    );
  });

  it('writes the owner under the key it reads', () => {
    const custom = { ...rules, label: 'example.com/team' };
    const obj = {
      metadata: { annotations: ownerAnnotations(custom, 'user:default/jane') },
    };
    expect(obj.metadata.annotations).toEqual({
      'example.com/team': 'user:default/jane',
    });
    expect(resolveOwner(obj, custom)).toBe('user:default/jane');
  });
});
