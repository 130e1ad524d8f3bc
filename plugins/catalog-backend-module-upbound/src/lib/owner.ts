import {
  resolveOwner,
  type OwnedObject,
} from '@upbound-backstage/plugin-upbound-node';

/** The owner rule as the provider config holds it (read from `upbound.owners`). @public */
export interface OwnerRules {
  ownerLabel: string;
  namespaceOwners: Record<string, string>;
  /** Owner of every entity nothing else names an owner for. */
  defaultOwner: string;
}

/**
 * Owner of an entity, by the one owner rule of `resolveOwner` (the same the discovery of control
 * planes and `upbound:claim:create` follow), with the provider's default owner last.
 * @public
 */
export function entityOwner(
  rules: OwnerRules,
  obj: OwnedObject | undefined,
  scope: { namespace?: string; configured?: string } = {},
): string {
  return (
    resolveOwner(
      obj,
      {
        label: rules.ownerLabel,
        namespaces: rules.namespaceOwners,
        default: rules.defaultOwner,
      },
      scope,
    ) ?? rules.defaultOwner
  );
}
