import type { KubeErrorType } from '@upbound-backstage/plugin-upbound-common';
import { KubeError } from '../types';

/** Kubernetes `Status` object fields we read from error bodies. */
interface StatusBody {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    kind?: string;
    causes?: Array<{ message?: string; field?: string }>;
  };
}

function typeForStatus(status: number): KubeErrorType {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 409) return 'conflict';
  if (status === 410) return 'gone';
  if (status === 400 || status === 422) return 'invalid';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server-error';
  return 'unknown';
}

const HINTS: Partial<Record<KubeErrorType, string>> = {
  unauthorized: 'the credentials were rejected; check the configured token',
  forbidden: 'the configured identity lacks RBAC permission for this call',
  'rate-limited': 'the API server is throttling requests',
};

/** Parses a Retry-After header (seconds or an HTTP date) into ms. */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Maps an HTTP error response to a KubeError. Only the server's Status message is quoted. */
export function errorFromResponse(options: {
  cluster: string;
  method: string;
  path: string;
  status: number;
  statusText?: string;
  body: string;
  retryAfter?: string | null;
  /** Credentials to strip from the server's message (some servers echo what they rejected). */
  redact?: Array<string | undefined>;
}): KubeError {
  const { cluster, method, path, status } = options;
  let parsed: StatusBody | undefined;
  try {
    const json = JSON.parse(options.body);
    if (json && typeof json === 'object') parsed = json;
  } catch {
    // Not JSON: proxies and unknown API groups answer with plain text.
  }
  const type = typeForStatus(status);
  let serverMessage =
    parsed?.kind === 'Status' && typeof parsed.message === 'string'
      ? parsed.message
      : options.statusText ?? '';
  for (const secret of options.redact ?? []) {
    if (secret && secret.length >= 4)
      serverMessage = serverMessage.split(secret).join('[redacted]');
  }
  const hint = HINTS[type];
  const message = `${method} ${path} on ${cluster} failed with ${status}${
    serverMessage ? `: ${serverMessage.slice(0, 500)}` : ''
  }${hint ? ` (${hint})` : ''}`;
  const retryAfterMs = parseRetryAfter(options.retryAfter);
  const err = new KubeError({
    type,
    cluster,
    message,
    statusCode: status,
    path,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
  // Whether a 404 is about the object or the whole type (a plain-text 404 means the path is unknown).
  (err as KubeError & { objectNotFound?: boolean }).objectNotFound =
    status === 404 && parsed?.kind === 'Status' && parsed.reason === 'NotFound';
  return err;
}

/** Maps a network-level failure (no response) to a KubeError. */
export function errorFromNetwork(options: {
  cluster: string;
  method: string;
  path: string;
  error: unknown;
  timedOut: boolean;
  timeoutMs: number;
}): KubeError {
  const { cluster, method, path, error } = options;
  if (options.timedOut) {
    return new KubeError({
      type: 'timeout',
      cluster,
      path,
      message: `${method} ${path} on ${cluster} timed out after ${options.timeoutMs} ms`,
    });
  }
  const e = error as {
    code?: string;
    errno?: string;
    type?: string;
    message?: string;
  };
  const code = e?.code ?? e?.errno ?? 'network error';
  const tls = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(String(code));
  return new KubeError({
    type: 'unreachable',
    cluster,
    path,
    message: `${method} ${path} on ${cluster} failed: cannot reach the API server (${code})${
      tls ? '; check the configured CA' : ''
    }`,
  });
}
