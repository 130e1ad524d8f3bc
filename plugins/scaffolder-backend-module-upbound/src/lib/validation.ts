import { InputError } from '@backstage/errors';
import {
  isDns1123Label,
  isDns1123Subdomain,
} from '@upbound-backstage/plugin-upbound-common';
import { parseDocument } from 'yaml';
import {
  PARAMETERS_MAX_ALIASES,
  PARAMETERS_MAX_BYTES,
  PARAMETERS_MAX_DEPTH,
} from './constants';

/** Throws InputError naming the field unless `value` is a DNS-1123 label (namespaces). */
export function assertDnsLabel(field: string, value: string): void {
  if (!isDns1123Label(value)) {
    throw new InputError(
      `Invalid ${field} '${value}': must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)`,
    );
  }
}

/** Throws InputError naming the field unless `value` is a DNS-1123 subdomain (object names). */
export function assertDnsSubdomain(field: string, value: string): void {
  if (!isDns1123Subdomain(value)) {
    throw new InputError(
      `Invalid ${field} '${value}': must be a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters)`,
    );
  }
}

function depthOf(value: unknown, limit: number, depth = 0): number {
  if (depth > limit) return depth;
  if (value && typeof value === 'object') {
    let max = depth + 1;
    for (const child of Object.values(value as object)) {
      max = Math.max(max, depthOf(child, limit, depth + 1));
      if (max > limit) return max;
    }
    return max;
  }
  return depth;
}

/**
 * Parses parameters given as an object or as a YAML/JSON string into a plain object, enforcing
 * size, depth and alias limits so a template cannot feed a YAML bomb or a huge document.
 */
export function parseParameters(
  field: string,
  value: unknown,
): Record<string, unknown> {
  if (value === undefined || value === null || value === '') return {};
  let parsed: unknown = value;
  if (typeof value === 'string') {
    if (Buffer.byteLength(value, 'utf8') > PARAMETERS_MAX_BYTES) {
      throw new InputError(
        `${field} is too large: at most ${PARAMETERS_MAX_BYTES} bytes are accepted`,
      );
    }
    const doc = parseDocument(value, { uniqueKeys: true, prettyErrors: true });
    if (doc.errors.length > 0) {
      throw new InputError(
        `${field} is not valid YAML or JSON: ${doc.errors[0].message}`,
      );
    }
    try {
      parsed = doc.toJS({ maxAliasCount: PARAMETERS_MAX_ALIASES });
    } catch (e) {
      throw new InputError(
        `${field} could not be read: ${(e as Error).message}`,
      );
    }
    if (parsed === null || parsed === undefined) return {};
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError(
      `${field} must be an object (a YAML or JSON mapping), got ${
        Array.isArray(parsed) ? 'a list' : typeof parsed
      }`,
    );
  }
  if (depthOf(parsed, PARAMETERS_MAX_DEPTH) > PARAMETERS_MAX_DEPTH) {
    throw new InputError(
      `${field} is nested too deeply: at most ${PARAMETERS_MAX_DEPTH} levels are accepted`,
    );
  }
  const size = Buffer.byteLength(JSON.stringify(parsed), 'utf8');
  if (size > PARAMETERS_MAX_BYTES) {
    throw new InputError(
      `${field} is too large: at most ${PARAMETERS_MAX_BYTES} bytes are accepted`,
    );
  }
  return parsed as Record<string, unknown>;
}

/** Checks label or annotation maps: keys must be qualified names, label values valid label values. */
export function assertMetadataMap(
  field: 'labels' | 'annotations',
  map: Record<string, string> | undefined,
): void {
  if (!map) return;
  const namePart = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
  for (const [key, value] of Object.entries(map)) {
    const [prefix, name] = key.includes('/')
      ? key.split(/\/(.*)/s)
      : [undefined, key];
    if (
      !namePart.test(name ?? '') ||
      (prefix !== undefined && !isDns1123Subdomain(prefix))
    ) {
      throw new InputError(
        `Invalid key '${key}' in ${field}: must be a qualified name like 'example.com/my-key'`,
      );
    }
    if (typeof value !== 'string') {
      throw new InputError(`Value of '${key}' in ${field} must be a string`);
    }
    if (field === 'labels' && value !== '' && !namePart.test(value)) {
      throw new InputError(
        `Invalid value '${value}' of label '${key}': at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
      );
    }
  }
}
