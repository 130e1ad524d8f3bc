import type { ClaimApi } from '@upbound-backstage/plugin-upbound-common';

/** One top-level field of a claim API's `spec`. */
export interface SpecField {
  name: string;
  type: string;
  required: boolean;
  description?: string;
  default?: unknown;
  enum?: unknown[];
}

/** The top-level `spec` fields of the referenceable version's schema. */
export function specFields(api: ClaimApi): SpecField[] {
  const version =
    api.versions.find(v => v.name === api.referenceableVersion) ??
    api.versions.find(v => v.referenceable) ??
    api.versions[0];
  const spec = (version?.schema as any)?.properties?.spec;
  const properties: Record<string, any> = spec?.properties ?? {};
  const required = new Set<string>(Array.isArray(spec?.required) ? spec.required : []);
  return Object.entries(properties).map(([name, s]) => ({
    name,
    type: Array.isArray(s?.type) ? s.type.join(' | ') : s?.type ?? 'object',
    required: required.has(name),
    description: s?.description,
    default: s?.default,
    enum: s?.enum,
  }));
}

/** The value the picker stores for an API: the referenceable apiVersion and the claim (or XR) kind. */
export function claimApiValue(api: ClaimApi): { apiVersion: string; kind: string } {
  const version =
    api.referenceableVersion ?? api.versions.find(v => v.referenceable)?.name ?? api.versions[0]?.name;
  return { apiVersion: `${api.group}/${version}`, kind: api.claimKind ?? api.kind };
}
