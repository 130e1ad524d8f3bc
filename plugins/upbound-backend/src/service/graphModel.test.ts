import { roleOf } from './graphModel';

describe('roleOf', () => {
  const unbound = {
    apiVersion: 'database.example.org/v1alpha1',
    kind: 'PostgreSQLInstance',
    metadata: { name: 'new-db', namespace: 'payments' },
    spec: { parameters: { storageGB: 20 } },
  };

  it("takes the role from the type's discovery categories, as Crossplane sets them", () => {
    // Not bound to a composite yet: nothing in the spec says claim.
    expect(roleOf(unbound, true, { categories: ['claim'] })).toBe('claim');
    expect(roleOf(unbound, false, { categories: ['claim'] })).toBe('claim');
    expect(
      roleOf({ spec: {} }, false, { categories: ['crossplane', 'composite'] }),
    ).toBe('composite');
    expect(
      roleOf({ spec: {} }, false, {
        categories: ['crossplane', 'managed', 'aws'],
      }),
    ).toBe('managed');
  });

  it('without categories, an unbound root claim with a composition choice is a claim', () => {
    const withComposition = {
      ...unbound,
      spec: { ...unbound.spec, compositionRef: { name: 'aws' } },
    };
    expect(roleOf(withComposition, true)).toBe('claim');
    expect(
      roleOf(
        { ...withComposition, spec: { compositionUpdatePolicy: 'Automatic' } },
        true,
      ),
    ).toBe('claim');
    // A cluster-scoped v1 XR with a composition choice is a composite.
    expect(
      roleOf(
        { metadata: { name: 'x' }, spec: { compositionRef: { name: 'aws' } } },
        true,
      ),
    ).toBe('composite');
    expect(roleOf({ spec: { resourceRef: { name: 'x' } } }, false)).toBe(
      'claim',
    );
    expect(roleOf({ spec: { forProvider: {} } }, false)).toBe('managed');
  });
});
