import type { ClaimApi } from '@upbound-backstage/plugin-upbound-common';

/** One field of a claim API's `spec`, named by its dotted path under `spec`. */
export interface SpecField {
  name: string;
  type: string;
  required: boolean;
  description?: string;
  default?: unknown;
  enum?: unknown[];
}

// Claim specs nest their inputs (`spec.parameters.region`): list leaves down to this depth.
const MAX_DEPTH = 3;

function collect(
  schema: any,
  prefix: string,
  depth: number,
  parentRequired: boolean,
  out: SpecField[],
): void {
  const properties: Record<string, any> = schema?.properties ?? {};
  const required = new Set<string>(Array.isArray(schema?.required) ? schema.required : []);
  for (const [key, s] of Object.entries(properties)) {
    const name = prefix ? `${prefix}.${key}` : key;
    // A field is required to fill in when it and every object above it are required.
    const isRequired = parentRequired && required.has(key);
    if (s?.properties && Object.keys(s.properties).length > 0 && depth < MAX_DEPTH) {
      collect(s, name, depth + 1, isRequired, out);
      continue;
    }
    out.push({
      name,
      type: Array.isArray(s?.type) ? s.type.join(' | ') : s?.type ?? 'object',
      required: isRequired,
      description: s?.description,
      default: s?.default,
      enum: s?.enum,
    });
  }
}

/** The `spec` fields of the referenceable version's schema; nested objects are listed by their leaves. */
export function specFields(api: ClaimApi): SpecField[] {
  const version =
    api.versions.find(v => v.name === api.referenceableVersion) ??
    api.versions.find(v => v.referenceable) ??
    api.versions[0];
  const out: SpecField[] = [];
  collect((version?.schema as any)?.properties?.spec, '', 1, true, out);
  return out;
}

/** The value the picker stores for an API: the referenceable apiVersion and the claim (or XR) kind. */
export function claimApiValue(api: ClaimApi): { apiVersion: string; kind: string } {
  const version =
    api.referenceableVersion ?? api.versions.find(v => v.referenceable)?.name ?? api.versions[0]?.name;
  return { apiVersion: `${api.group}/${version}`, kind: api.claimKind ?? api.kind };
}
