import type { KubeObject } from '@upbound-backstage/plugin-upbound-node';
import {
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  UPBOUND_FIELD_MANAGER,
} from './constants';

/** True when the object carries our managed-by label or our field manager applied to it. */
export function isManagedByUs(obj: KubeObject | undefined): boolean {
  if (!obj) return false;
  if (obj.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE) {
    return true;
  }
  return hasOurFieldManager(obj);
}

/** True when our field manager owns any field of the object. */
export function hasOurFieldManager(obj: KubeObject | undefined): boolean {
  const fields = obj?.metadata?.managedFields;
  return (
    Array.isArray(fields) &&
    fields.some(f => (f as { manager?: string })?.manager === UPBOUND_FIELD_MANAGER)
  );
}

/** Adds our managed-by label to an object's metadata. */
export function withManagedByLabel<T extends KubeObject>(obj: T): T {
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      labels: { ...obj.metadata?.labels, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
    },
  };
}

/** `Kind namespace/name`, for messages. */
export function describeObject(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  return `${obj.kind} ${ns ? `${ns}/` : ''}${obj.metadata?.name}`;
}
