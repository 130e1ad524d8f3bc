import type { ResourceType } from '../types';

/**
 * The one place that builds Kubernetes API paths: every segment is URI-encoded and namespaces are
 * scoped by path (never by query).
 * @public
 */
export function resourcePath(
  type: Pick<ResourceType, 'group' | 'version' | 'plural' | 'namespaced'>,
  options: { namespace?: string; name?: string; subresource?: string } = {},
): string {
  const enc = encodeURIComponent;
  const base = type.group
    ? `/apis/${enc(type.group)}/${enc(type.version)}`
    : `/api/${enc(type.version)}`;
  const ns =
    type.namespaced && options.namespace
      ? `/namespaces/${enc(options.namespace)}`
      : '';
  const name = options.name !== undefined ? `/${enc(options.name)}` : '';
  const sub =
    options.name !== undefined && options.subresource
      ? `/${enc(options.subresource)}`
      : '';
  return `${base}${ns}/${enc(type.plural)}${name}${sub}`;
}

/** Appends defined query parameters, encoded. @public */
export function withQuery(
  path: string,
  query: Record<string, string | number | boolean | undefined>,
): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

/** The MCP API server path under a Space ingress. @public */
export function spacesControlPlanePath(group: string, name: string): string {
  return `/apis/spaces.upbound.io/v1beta1/namespaces/${encodeURIComponent(
    group,
  )}/controlplanes/${encodeURIComponent(name)}/k8s`;
}
