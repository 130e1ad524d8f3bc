import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { UpboundCloudAuth } from './UpboundCloudAuth';

const AUTH = 'https://auth.test';
const API = 'https://api.test';
const EXCHANGE = `${AUTH}/apis/tokenexchange.upbound.io/v1alpha1/orgscopedtokens`;
// A PAT-shaped JWT (header.payload.signature) with a jti claim.
const PAT = `e30.${Buffer.from(JSON.stringify({ jti: 'token-id-1' })).toString(
  'base64url',
)}.sig`;

const server = setupServer();
registerMswTestHooks(server);

function makeAuth(now: { t: number }) {
  return new UpboundCloudAuth({
    organization: 'acme',
    token: PAT,
    endpoints: { api: API, auth: AUTH },
    now: () => now.t,
    sleep: async () => {},
  });
}

describe('UpboundCloudAuth', () => {
  it('exchanges the token with the documented form fields', async () => {
    let form: URLSearchParams | undefined;
    let headers: Headers | undefined;
    server.use(
      http.post(EXCHANGE, async ({ request }) => {
        headers = request.headers;
        form = new URLSearchParams(await request.text());
        return HttpResponse.json({
          access_token: 'org-token-1',
          token_type: 'Bearer',
          issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          expires_in: 600,
        });
      }),
    );
    const auth = makeAuth({ t: 0 });
    expect(await auth.orgToken()).toBe('org-token-1');
    expect(headers!.get('authorization')).toBe(`Bearer ${PAT}`);
    expect(headers!.get('content-type')).toBe(
      'application/x-www-form-urlencoded',
    );
    expect(form!.get('grant_type')).toBe(
      'urn:ietf:params:oauth:grant-type:token-exchange',
    );
    expect(form!.get('subject_token_type')).toBe(
      'urn:ietf:params:oauth:token-type:id_token',
    );
    expect(form!.get('subject_token')).toBe(PAT);
    expect(form!.get('scope')).toBe('upbound:org:acme');
    expect(form!.getAll('audience')).toEqual([
      'upbound:spaces:api',
      'upbound:spaces:controlplanes',
    ]);
    expect(auth.orgTokenExpiresAt()).toEqual(new Date(600_000));
  });

  it('caches until shortly before expiry and shares one exchange between concurrent callers', async () => {
    let n = 0;
    server.use(
      http.post(EXCHANGE, async () => {
        n++;
        await new Promise(r => setTimeout(r, 20));
        return HttpResponse.json({
          access_token: `org-token-${n}`,
          expires_in: 600,
        });
      }),
    );
    const now = { t: 0 };
    const auth = makeAuth(now);
    const tokens = await Promise.all(
      Array.from({ length: 10 }, () => auth.orgToken()),
    );
    expect(new Set(tokens)).toEqual(new Set(['org-token-1']));
    expect(auth.exchangeCount).toBe(1);
    now.t = 500_000;
    expect(await auth.orgToken()).toBe('org-token-1');
    now.t = 550_000; // within the refresh margin before expiry at 600 s
    expect(await auth.orgToken()).toBe('org-token-2');
    auth.invalidateOrgToken();
    expect(await auth.orgToken()).toBe('org-token-3');
    expect(auth.exchangeCount).toBe(3);
  });

  it('retries 429 and 5xx on the exchange and rejects malformed answers', async () => {
    let n = 0;
    server.use(
      http.post(EXCHANGE, () => {
        n++;
        if (n === 1)
          return new HttpResponse(null, {
            status: 429,
            headers: { 'Retry-After': '1' },
          });
        if (n === 2) return new HttpResponse(null, { status: 502 });
        if (n === 3) return HttpResponse.json({ token_type: 'Bearer' });
        return HttpResponse.text('not json');
      }),
    );
    const auth = makeAuth({ t: 0 });
    const err = await auth.orgToken().catch(e => e);
    expect(err).toMatchObject({ type: 'unauthorized' });
    expect(err.message).toContain('returned no access_token');
    await expect(auth.orgToken()).rejects.toMatchObject({ type: 'unknown' });
    expect(n).toBe(4);
  });

  it('reports a rejected token without echoing it', async () => {
    server.use(
      http.post(EXCHANGE, () =>
        HttpResponse.json(
          { error: 'invalid_grant', token: PAT },
          { status: 401 },
        ),
      ),
    );
    const err = await makeAuth({ t: 0 })
      .orgToken()
      .catch(e => e);
    expect(err).toMatchObject({ type: 'unauthorized', statusCode: 401 });
    expect(String(err.message)).not.toContain(PAT);
  });

  it('logs in with the jti and the token to get a session', async () => {
    let body: any;
    server.use(
      http.post(`${API}/v1/login`, async ({ request }) => {
        body = await request.json();
        return new HttpResponse(null, {
          status: 204,
          headers: { 'Set-Cookie': 'SID=session-1; Path=/; HttpOnly' },
        });
      }),
    );
    const auth = makeAuth({ t: 0 });
    expect(await auth.session()).toBe('session-1');
    expect(body).toEqual({ id: 'token-id-1', password: PAT });
  });

  it('keeps a newer token when a caller reports an older one as refused', async () => {
    let n = 0;
    server.use(
      http.post(EXCHANGE, () =>
        HttpResponse.json({
          access_token: `org-token-${++n}`,
          expires_in: 600,
        }),
      ),
    );
    const auth = makeAuth({ t: 0 });
    expect(await auth.orgToken()).toBe('org-token-1');
    auth.invalidateOrgToken('org-token-1');
    expect(await auth.orgToken()).toBe('org-token-2');
    // A second caller whose request used org-token-1 reports its 401 late: no new exchange.
    auth.invalidateOrgToken('org-token-1');
    expect(await auth.orgToken()).toBe('org-token-2');
    expect(auth.exchangeCount).toBe(2);
  });
});
