/** Object merges of the in-memory API server: server-side apply and JSON merge patch. */
import type { KubeObject } from '../types';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** A deep copy of JSON data (undefined stays undefined). */
export function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

/**
 * Server-side-apply-like merge: objects merge recursively, arrays and scalars are replaced (the
 * API server merges lists only where a schema declares list keys, which the fake has no schema for).
 */
export function deepMerge(target: any, source: any): any {
  if (!isPlainObject(target) || !isPlainObject(source)) return clone(source);
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(source)) {
    out[k] =
      isPlainObject(v) && isPlainObject(out[k])
        ? deepMerge(out[k], v)
        : clone(v);
  }
  return out;
}

/** RFC 7386 JSON merge patch: objects merge recursively, null deletes a key. */
export function mergePatchInto(target: any, patch: any): any {
  if (!isPlainObject(patch)) return clone(patch);
  const out: Record<string, unknown> = isPlainObject(target)
    ? { ...target }
    : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatchInto(out[k], v);
  }
  return out;
}

/**
 * The object server-side apply serves: what others wrote (`base`) merged with what each field
 * manager last applied, in the order they first applied. `managedFields` keeps the base's entries
 * of other managers and names each apply manager, so ownership checks work as against a real server.
 */
export function mergeApplied(
  base: KubeObject | undefined,
  managers: ReadonlyMap<string, KubeObject>,
  last: KubeObject,
): KubeObject {
  let obj: KubeObject = clone(base) ?? {};
  for (const applied of managers.values()) obj = deepMerge(obj, applied);
  const managedFields = (base?.metadata?.managedFields ?? []) as Array<{
    manager?: string;
  }>;
  const others = managedFields.filter(f => !managers.has(f?.manager ?? ''));
  return {
    ...obj,
    apiVersion: last.apiVersion,
    kind: last.kind,
    metadata: {
      ...obj.metadata,
      name: last.metadata?.name,
      namespace: last.metadata?.namespace,
      managedFields: [
        ...others,
        ...[...managers.keys()].map(manager => ({
          manager,
          operation: 'Apply',
          apiVersion: last.apiVersion,
        })),
      ],
    },
  };
}
