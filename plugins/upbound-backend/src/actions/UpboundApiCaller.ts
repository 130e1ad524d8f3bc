import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/**
 * Calls this plugin's own REST API on behalf of the caller of an action. Actions for AI agents go
 * through the very routes people use, so they get the same authorization (every permission check,
 * including conditional decisions on claims and control planes), the same validation and the same
 * response shapes, and can never drift from them.
 */
export class UpboundApiCaller {
  constructor(
    private readonly deps: { auth: AuthService; discovery: DiscoveryService },
  ) {}

  async request<T>(
    credentials: BackstageCredentials,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const [{ token }, baseUrl] = await Promise.all([
      this.deps.auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'upbound',
      }),
      this.deps.discovery.getBaseUrl('upbound'),
    ]);
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.ok) return json as T;
    throw toError(res.status, json?.error?.message ?? (text || res.statusText));
  }
}

/** The route's error as the matching Backstage error, so the tool result says what went wrong. */
function toError(status: number, message: string): Error {
  switch (status) {
    case 400:
      return new InputError(message);
    case 401:
    case 403:
      return new NotAllowedError(message);
    case 404:
      return new NotFoundError(message);
    case 409:
      return new ConflictError(message);
    case 503:
      return new ServiceUnavailableError(message);
    default:
      return new Error(`${message} (status ${status})`);
  }
}

/** `?a=1&b=2` from the defined values. */
export function queryString(params: Record<string, string | undefined>) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
