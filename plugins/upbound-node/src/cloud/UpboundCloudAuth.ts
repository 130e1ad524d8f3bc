import type { LoggerService } from '@backstage/backend-plugin-api';
import { KubeError } from '../types';
import { KubeTransport, type KubeFetch } from '../kube/KubeTransport';

/** Refresh an org-scoped token this long before it expires. */
const EXPIRY_MARGIN_MS = 60_000;
/** Lifetime assumed when the exchange does not say (`expires_in` is undocumented). */
const DEFAULT_TOKEN_LIFETIME_MS = 10 * 60_000;
const SESSION_LIFETIME_MS = 60 * 60_000;

/** Options of {@link UpboundCloudAuth}. @public */
export interface UpboundCloudAuthOptions {
  organization: string;
  /** PAT or robot token (the subject token of the exchange). */
  token: string;
  endpoints: { api: string; auth: string };
  timeoutMs?: number;
  fetch?: KubeFetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  logger?: LoggerService;
}

interface Cached {
  value: string;
  expiresAt: number;
}

/** One value fetched at a time; concurrent callers share the fetch in flight. */
class SingleFlightCache {
  #cached?: Cached;
  #inflight?: Promise<Cached>;
  constructor(
    private readonly fetchValue: () => Promise<Cached>,
    private readonly now: () => number,
  ) {}

  get(): Promise<string> {
    if (
      this.#cached &&
      this.now() < this.#cached.expiresAt - EXPIRY_MARGIN_MS
    ) {
      return Promise.resolve(this.#cached.value);
    }
    if (!this.#inflight) {
      this.#inflight = this.fetchValue().then(
        v => {
          this.#cached = v;
          this.#inflight = undefined;
          return v;
        },
        e => {
          this.#inflight = undefined;
          throw e;
        },
      );
    }
    return this.#inflight.then(v => v.value);
  }

  /** Drops the cached value; with `value`, only when that is still the cached one. */
  invalidate(value?: string): void {
    if (value === undefined || this.#cached?.value === value) {
      this.#cached = undefined;
    }
  }

  expiresAt(): number | undefined {
    return this.#cached?.expiresAt;
  }
}

function jtiOf(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(
      Buffer.from(payload, 'base64url').toString('utf8'),
    );
    return typeof claims?.jti === 'string' ? claims.jti : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Upbound Cloud credentials: the org-scoped token from the token exchange (used against Space
 * ingresses and control planes) and the API session (used to list Spaces). Both are cached until
 * shortly before expiry, fetched once for concurrent callers, and dropped on a 401.
 * @public
 */
export class UpboundCloudAuth {
  readonly organization: string;
  readonly #authTransport: KubeTransport;
  readonly #apiTransport: KubeTransport;
  readonly #token: string;
  readonly #now: () => number;
  readonly #orgToken: SingleFlightCache;
  readonly #session: SingleFlightCache;
  #exchanges = 0;

  constructor(options: UpboundCloudAuthOptions) {
    this.organization = options.organization;
    this.#token = options.token;
    this.#now = options.now ?? Date.now;
    const common = {
      concurrency: 2,
      timeoutMs: options.timeoutMs ?? 10_000,
      fetch: options.fetch,
      sleep: options.sleep,
      logger: options.logger,
    };
    this.#authTransport = new KubeTransport({
      ...common,
      clusterId: 'upbound-auth',
      connection: { server: options.endpoints.auth, token: options.token },
    });
    this.#apiTransport = new KubeTransport({
      ...common,
      clusterId: 'upbound-api',
      connection: { server: options.endpoints.api },
    });
    this.#orgToken = new SingleFlightCache(() => this.#exchange(), this.#now);
    this.#session = new SingleFlightCache(() => this.#login(), this.#now);
  }

  /** Number of token exchanges made (tests assert single-flight with it). */
  get exchangeCount(): number {
    return this.#exchanges;
  }

  /** The org-scoped token for Space ingresses and control planes. */
  orgToken(): Promise<string> {
    return this.#orgToken.get();
  }

  /**
   * Drops the cached org-scoped token after a 401. With the refused token, a newer one that
   * another caller already fetched is kept, so concurrent 401s cause one exchange.
   */
  invalidateOrgToken(refusedToken?: string): void {
    this.#orgToken.invalidate(refusedToken);
  }

  /** When the cached org-scoped token expires, if one is cached. */
  orgTokenExpiresAt(): Date | undefined {
    const at = this.#orgToken.expiresAt();
    return at === undefined ? undefined : new Date(at);
  }

  /** The Upbound API session (cookie `SID`). */
  session(): Promise<string> {
    return this.#session.get();
  }

  invalidateSession(refusedSession?: string): void {
    this.#session.invalidate(refusedSession);
  }

  async #exchange(): Promise<Cached> {
    this.#exchanges++;
    const form = new URLSearchParams();
    form.append(
      'grant_type',
      'urn:ietf:params:oauth:grant-type:token-exchange',
    );
    form.append(
      'subject_token_type',
      'urn:ietf:params:oauth:token-type:id_token',
    );
    form.append('subject_token', this.#token);
    form.append('scope', `upbound:org:${this.organization}`);
    form.append('audience', 'upbound:spaces:api');
    form.append('audience', 'upbound:spaces:controlplanes');
    const res = await this.#authTransport.requestJson<{
      access_token?: unknown;
      expires_in?: unknown;
    }>({
      method: 'POST',
      path: '/apis/tokenexchange.upbound.io/v1alpha1/orgscopedtokens',
      verb: 'token-exchange',
      body: form.toString(),
      contentType: 'application/x-www-form-urlencoded',
      idempotent: true,
    });
    if (!res || typeof res.access_token !== 'string' || !res.access_token) {
      throw new KubeError({
        type: 'unauthorized',
        cluster: 'upbound-auth',
        message: `The Upbound token exchange for organization '${this.organization}' returned no access_token`,
      });
    }
    const lifetime =
      typeof res.expires_in === 'number' && res.expires_in > 0
        ? res.expires_in * 1000
        : DEFAULT_TOKEN_LIFETIME_MS;
    return { value: res.access_token, expiresAt: this.#now() + lifetime };
  }

  async #login(): Promise<Cached> {
    const jti = jtiOf(this.#token);
    if (!jti) {
      throw new KubeError({
        type: 'unauthorized',
        cluster: 'upbound-api',
        message:
          'upbound.token is not an Upbound personal access token or robot token (no jti claim); list the Spaces in upbound.cloud.spaces or use such a token',
      });
    }
    const res = await this.#apiTransport.requestText({
      method: 'POST',
      path: '/v1/login',
      verb: 'login',
      body: JSON.stringify({ id: jti, password: this.#token }),
      contentType: 'application/json',
      idempotent: true,
    });
    const sid = res.cookies
      .map(c => /^SID=([^;]+)/.exec(c)?.[1])
      .find((v): v is string => !!v);
    if (!sid) {
      throw new KubeError({
        type: 'unauthorized',
        cluster: 'upbound-api',
        message: 'The Upbound API login returned no session cookie',
      });
    }
    return { value: sid, expiresAt: this.#now() + SESSION_LIFETIME_MS };
  }
}
