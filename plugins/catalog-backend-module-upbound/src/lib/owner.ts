import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { isValidEntityName } from '@upbound-backstage/plugin-upbound-common';

/** What owner resolution needs from the provider config. @public */
export interface OwnerRules {
  ownerLabel: string;
  namespaceOwners: Record<string, string>;
  defaultOwner: string;
}

/** A label or annotation value as an owner ref: a full ref, or a bare group name. */
function toOwnerRef(value: string | undefined): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  try {
    const ref = parseEntityRef(v, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    const valid =
      /^[a-zA-Z][a-zA-Z0-9]*$/.test(ref.kind) &&
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/i.test(ref.namespace) &&
      isValidEntityName(ref.name);
    return valid ? stringifyEntityRef(ref) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Owner of a claim or XR: the owner label, then the owner annotation (labels cannot hold `:` or
 * `/`, so full refs usually live in annotations), then the namespace mapping, then the default.
 * @public
 */
export function resolveOwner(
  obj: {
    metadata?: {
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
    };
  },
  namespace: string | undefined,
  rules: OwnerRules,
): string {
  return (
    toOwnerRef(obj.metadata?.labels?.[rules.ownerLabel]) ??
    toOwnerRef(obj.metadata?.annotations?.[rules.ownerLabel]) ??
    (namespace !== undefined ? rules.namespaceOwners[namespace] : undefined) ??
    rules.defaultOwner
  );
}
