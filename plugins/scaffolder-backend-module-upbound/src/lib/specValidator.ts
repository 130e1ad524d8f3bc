import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { InputError } from '@backstage/errors';

/**
 * Spec fields Crossplane adds to every claim and XR CRD it generates; they are not in the XRD's own
 * schema but users may set them (e.g. a composition selector).
 */
const CROSSPLANE_SPEC_FIELDS = [
  'compositionRef',
  'compositionSelector',
  'compositionRevisionRef',
  'compositionRevisionSelector',
  'compositionUpdatePolicy',
  'compositeDeletePolicy',
  'resourceRef',
  'writeConnectionSecretToRef',
  'publishConnectionDetailsTo',
  'crossplane',
];

function isObject(v: unknown): v is Record<string, any> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Turns a Kubernetes structural schema into one ajv judges the way the API server would, but
 * stricter on unknown fields (the server prunes them silently; a user wants to hear about a typo).
 */
function toAjvSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toAjvSchema);
  if (!isObject(schema)) return schema;
  const out: Record<string, any> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, toAjvSchema(v)]),
      );
    } else if (
      ['items', 'additionalProperties', 'not'].includes(key) ||
      ['allOf', 'anyOf', 'oneOf'].includes(key)
    ) {
      out[key] = toAjvSchema(value);
    } else if (!key.startsWith('x-kubernetes-')) {
      out[key] = value;
    }
  }
  if (schema['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (
    isObject(out.properties) &&
    out.additionalProperties === undefined &&
    schema['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    out.additionalProperties = false;
  }
  return out;
}

function fieldPath(root: string, error: ErrorObject): string {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') {
    segments.push(String((error.params as any).missingProperty));
  } else if (error.keyword === 'additionalProperties') {
    segments.push(String((error.params as any).additionalProperty));
  }
  return segments.reduce(
    (path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : `${path}.${s}`),
    root,
  );
}

function describe(error: ErrorObject): string {
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a field of this API';
    case 'enum':
      return `must be one of ${(error.params as any).allowedValues
        .map((v: unknown) => JSON.stringify(v))
        .join(', ')}`;
    default:
      return error.message ?? 'is invalid';
  }
}

/** One compiled validator for the `spec` of a claim or XR. */
export interface SpecValidator {
  /** Throws InputError listing every problem, each naming its field path (e.g. `spec.parameters.size`). */
  validate(spec: Record<string, unknown>): void;
}

/**
 * Compiles a validator from a version's openAPIV3Schema (`properties.spec` is used). Schema errors
 * (a broken XRD) surface as InputError naming the API.
 */
export function createSpecValidator(
  openAPIV3Schema: Record<string, unknown> | undefined,
  apiLabel: string,
): SpecValidator {
  const specSchema = isObject(openAPIV3Schema)
    ? (openAPIV3Schema as any).properties?.spec
    : undefined;
  if (!isObject(specSchema)) {
    return { validate() {} };
  }
  const converted = toAjvSchema(specSchema) as Record<string, any>;
  if (isObject(converted.properties)) {
    for (const field of CROSSPLANE_SPEC_FIELDS) {
      converted.properties[field] ??= {};
    }
  }
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  let compiled: ReturnType<Ajv['compile']>;
  try {
    compiled = ajv.compile(converted);
  } catch (e) {
    throw new InputError(
      `The schema of ${apiLabel} could not be compiled: ${(e as Error).message}`,
    );
  }
  return {
    validate(spec) {
      if (compiled(spec)) return;
      const problems = (compiled.errors ?? [])
        .filter(e => e.keyword !== 'anyOf' && e.keyword !== 'oneOf')
        .map(e => `${fieldPath('spec', e)} ${describe(e)}`);
      const unique = [...new Set(problems)];
      throw new InputError(
        `parameters do not match the schema of ${apiLabel}: ${unique.join('; ')}`,
      );
    },
  };
}
