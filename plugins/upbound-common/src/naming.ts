import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

const MAX_NAME_LENGTH = 63;
const HASH_LENGTH = 8;

function hashHex(input: string, length: number): string {
  return bytesToHex(sha256(utf8ToBytes(input))).slice(0, length);
}

/** Lower-cases and replaces anything outside [a-z0-9-] so the result can be part of a Backstage name. */
function sanitize(part: string): string {
  return part
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * A valid, stable Backstage entity name for a tuple of coordinates.
 *
 * The readable part joins the sanitized parts; a short hash of the exact tuple is always appended,
 * because joining with `-` is ambiguous (`a-b`/`c` vs `a`/`b-c`) and sanitizing is lossy.
 * @public
 */
export function toEntityName(parts: string[]): string {
  const readable = parts.map(sanitize).filter(Boolean).join('-');
  const hash = hashHex(parts.join('\u0000'), HASH_LENGTH);
  const room = MAX_NAME_LENGTH - HASH_LENGTH - 1;
  const head = readable.slice(0, room).replace(/-+$/g, '');
  return head ? `${head}-${hash}` : `x-${hash}`;
}

/** @public */
export function controlPlaneEntityName(cp: {
  source: string;
  space?: string;
  group?: string;
  name: string;
}): string {
  return toEntityName(
    cp.source === 'direct'
      ? [cp.name]
      : [cp.space ?? '', cp.group ?? '', cp.name],
  );
}

/** @public */
export function claimEntityName(o: {
  controlPlaneId: string;
  kind: string;
  namespace?: string;
  name: string;
  controlPlaneName?: string;
}): string {
  // Readable: <mcp>-<namespace>-<name>; the hash covers the full coordinates (id, kind, ns, name).
  const hash = hashHex(
    [o.controlPlaneId, o.kind, o.namespace ?? '', o.name].join('\u0000'),
    HASH_LENGTH,
  );
  const readable = [o.controlPlaneName ?? '', o.namespace ?? '', o.name]
    .map(sanitize)
    .filter(Boolean)
    .join('-');
  const head = readable
    .slice(0, MAX_NAME_LENGTH - HASH_LENGTH - 1)
    .replace(/-+$/g, '');
  return head ? `${head}-${hash}` : `x-${hash}`;
}

/** API entity name of a claim API, from its claim kind (or composite kind) and group. @public */
export function claimApiEntityName(api: {
  group: string;
  kind: string;
  claimKind?: string;
}): string {
  return toEntityName([api.claimKind ?? api.kind, api.group]);
}

/** @public */
export function appClusterEntityName(name: string): string {
  return toEntityName(['cluster', name]);
}

/** True when `name` is a valid Backstage entity name. @public */
export function isValidEntityName(name: string): boolean {
  return (
    name.length >= 1 &&
    name.length <= MAX_NAME_LENGTH &&
    /^[a-zA-Z0-9]([-_.a-zA-Z0-9]*[a-zA-Z0-9])?$/.test(name)
  );
}

/** DNS-1123 label: what Kubernetes requires of namespaces and most object names. @public */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value);
}

/** DNS-1123 subdomain: what Kubernetes requires of most object names. @public */
export function isDns1123Subdomain(value: string): boolean {
  return (
    value.length <= 253 &&
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(
      value,
    )
  );
}

export { connectorObjectName } from './connector/connectorObjectName';
