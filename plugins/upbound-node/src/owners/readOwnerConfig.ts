import type { Config } from '@backstage/config';
import { UpboundConfigError } from '../config/loadConnection';
import type { OwnerConfig } from '../config/types';
import { toOwnerRef } from './resolveOwner';

/** The default key of the owner label or annotation. */
export const DEFAULT_OWNER_LABEL = 'upbound.io/owner';

/** Where the catalog module read its own owner rule before `upbound.owners`. */
const LEGACY = 'catalog.providers.upbound';
const LEGACY_KEYS = {
  label: 'ownerLabel',
  namespaces: 'namespaceOwners',
  default: 'defaultOwner',
} as const;

/** An owner value from config as an entity ref; throws naming the key when it is not one. */
export function readOwnerRef(value: unknown, key: string): string {
  const ref = typeof value === 'string' ? toOwnerRef(value) : undefined;
  if (!ref) {
    throw new UpboundConfigError(
      key,
      `must be an entity ref such as group:default/team-a, got '${String(
        value,
      )}'`,
    );
  }
  return ref;
}

function readKey(
  c: Config,
  key: keyof OwnerConfig,
  path: string,
): OwnerConfig[typeof key] {
  if (key === 'label') return c.getString(path);
  if (key === 'default') return readOwnerRef(c.getString(path), path);
  const raw = c.get<Record<string, unknown>>(path);
  const namespaces: Record<string, string> = {};
  for (const [ns, owner] of Object.entries(raw)) {
    namespaces[ns] = readOwnerRef(owner, `${path}.${ns}`);
  }
  return namespaces;
}

/**
 * Reads the one owner rule, `upbound.owners`, shared by discovery (control planes), the catalog
 * module (every entity) and `upbound:claim:create` (the owner it writes). The catalog module's
 * former keys (`catalog.providers.upbound.ownerLabel`, `namespaceOwners`, `defaultOwner`) still
 * apply where `upbound.owners` does not set the same thing; each one set adds a warning.
 * Owner values are normalized to entity refs (`team-a` is `group:default/team-a`).
 * @public
 */
export function readOwnerConfig(root: Config): {
  owners: OwnerConfig;
  warnings: string[];
} {
  const warnings: string[] = [];
  const read = <K extends keyof OwnerConfig>(
    key: K,
  ): OwnerConfig[K] | undefined => {
    const path = `upbound.owners.${key}`;
    const legacyPath = `${LEGACY}.${LEGACY_KEYS[key]}`;
    const value = root.has(path)
      ? (readKey(root, key, path) as OwnerConfig[K])
      : undefined;
    if (!root.has(legacyPath)) return value;
    if (value !== undefined) {
      warnings.push(
        `${legacyPath} is deprecated and ignored: ${path} is set; remove ${legacyPath}`,
      );
      return value;
    }
    warnings.push(
      `${legacyPath} is deprecated: move it to ${path}, which discovery, the catalog and upbound:claim:create all read`,
    );
    return readKey(root, key, legacyPath) as OwnerConfig[K];
  };
  const label = read('label') ?? DEFAULT_OWNER_LABEL;
  const namespaces = read('namespaces') ?? {};
  const defaultOwner = read('default');
  return {
    owners: {
      label,
      namespaces,
      ...(defaultOwner ? { default: defaultOwner } : {}),
    },
    warnings,
  };
}
