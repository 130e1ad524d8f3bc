import type { UpboundConfig } from '../config/types';

/** The owner rule: the key read on objects, owners by namespace (or group), and the default. @public */
export type OwnerConfig = UpboundConfig['owners'];

/** What owner resolution reads of an object. @public */
export interface OwnedObject {
  metadata?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
}

/**
 * The one owner rule of control planes and claims: the owner label on the object, then the same
 * key as an annotation, then an owner configured for it (a Space's or direct control plane's
 * `owner`), then the owner of its namespace (claims) or group (control planes), then the default.
 * Undefined when nothing applies and no default is configured.
 * @public
 */
export function resolveOwner(
  obj: OwnedObject | undefined,
  rules: OwnerConfig,
  scope: { namespace?: string; configured?: string } = {},
): string | undefined {
  return (
    obj?.metadata?.labels?.[rules.label] ??
    obj?.metadata?.annotations?.[rules.label] ??
    scope.configured ??
    (scope.namespace !== undefined
      ? rules.namespaces[scope.namespace]
      : undefined) ??
    rules.default
  );
}
