import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { isValidEntityName } from '@upbound-backstage/plugin-upbound-common';
import type { OwnerConfig } from '../config/types';

/** What owner resolution reads of an object. @public */
export interface OwnedObject {
  metadata?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
}

/**
 * An owner value as an entity ref: a full ref, or a bare group name (`team-a` is
 * `group:default/team-a`). Undefined for values that are not entity refs.
 * @public
 */
export function toOwnerRef(value: string | undefined): string | undefined {
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
 * The one owner rule of control planes and claims: the owner label on the object, then the same
 * key as an annotation (labels cannot hold `:` or `/`, so full refs usually live in annotations),
 * then an owner configured for it (a Space's or direct control plane's `owner`), then the owner of
 * its namespace (claims) or group (control planes), then the default. Label and annotation values
 * that are not entity refs are skipped. Undefined when nothing applies and no default is set.
 * @public
 */
export function resolveOwner(
  obj: OwnedObject | undefined,
  rules: OwnerConfig,
  scope: { namespace?: string; configured?: string } = {},
): string | undefined {
  return (
    toOwnerRef(obj?.metadata?.labels?.[rules.label]) ??
    toOwnerRef(obj?.metadata?.annotations?.[rules.label]) ??
    scope.configured ??
    (scope.namespace !== undefined
      ? rules.namespaces[scope.namespace]
      : undefined) ??
    rules.default
  );
}

/** The metadata that names `owner` as an object's owner, read back by {@link resolveOwner}. @public */
export function ownerAnnotations(
  rules: Pick<OwnerConfig, 'label'>,
  owner: string,
): Record<string, string> {
  return { [rules.label]: owner };
}
