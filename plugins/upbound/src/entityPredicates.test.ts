import { claimEntity, controlPlaneEntity } from './__fixtures__/entities';
import { isUpboundClaimEntity, isUpboundControlPlaneEntity } from './entityPredicates';

describe('entity predicates', () => {
  it('tells control plane entities from claim entities', () => {
    expect(isUpboundControlPlaneEntity(controlPlaneEntity)).toBe(true);
    expect(isUpboundClaimEntity(controlPlaneEntity)).toBe(false);
    expect(isUpboundClaimEntity(claimEntity)).toBe(true);
    expect(isUpboundControlPlaneEntity(claimEntity)).toBe(false);
    const composite = { ...claimEntity, spec: { ...claimEntity.spec, type: 'crossplane-composite' } };
    expect(isUpboundClaimEntity(composite)).toBe(true);
    const component = { ...claimEntity, kind: 'Component' };
    expect(isUpboundClaimEntity(component)).toBe(false);
  });
});
