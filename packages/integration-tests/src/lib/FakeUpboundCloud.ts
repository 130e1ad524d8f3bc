import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { selfSignedCert } from './selfSignedCert';

/** Options of {@link FakeUpboundCloud.start}. */
export interface FakeUpboundCloudOptions {
  organization: string;
  /** The personal access or robot token the backend is configured with. */
  subjectToken: string;
  /** The local Space ingress that stands in for the Space, and a token it accepts everywhere. */
  ingress: { url: string; ca: string; token: string };
  /** Name of the one Space the organization lists. */
  spaceName: string;
}

/**
 * Upbound Cloud in one TLS server on 127.0.0.1: the token exchange (auth.upbound.io), the login
 * and Space list (api.upbound.io), and the Space itself, whose ingress accepts only the org-scoped
 * tokens issued since the last rotation and forwards to the local Space ingress. `rotate()`
 * revokes every token issued so far, as an expired org token would be.
 */
export class FakeUpboundCloud {
  readonly ca: string;
  url = '';
  /** Token exchanges answered. */
  exchanges = 0;
  /** Requests the ingress refused with 401. */
  refused = 0;
  #issued = 0;
  #oldestValid = 1;
  #server: https.Server;
  readonly #sockets = new Set<Socket>();
  readonly #upstreamAgent: https.Agent;

  private constructor(private readonly options: FakeUpboundCloudOptions) {
    const { key, cert } = selfSignedCert();
    this.ca = cert;
    this.#upstreamAgent = new https.Agent({ ca: options.ingress.ca, keepAlive: true });
    this.#server = https.createServer({ key, cert }, (req, res) =>
      this.#handle(req, res).catch(e => {
        res.writeHead(500);
        res.end(String(e));
      }),
    );
    this.#server.on('connection', s => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
  }

  static async start(options: FakeUpboundCloudOptions): Promise<FakeUpboundCloud> {
    const cloud = new FakeUpboundCloud(options);
    await new Promise<void>(r => cloud.#server.listen(0, '127.0.0.1', r));
    cloud.url = `https://127.0.0.1:${(cloud.#server.address() as AddressInfo).port}`;
    return cloud;
  }

  /** Every org-scoped token issued so far stops working. */
  rotate(): void {
    this.#oldestValid = this.#issued + 1;
  }

  async stop(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    this.#upstreamAgent.destroy();
    await new Promise<void>(r => this.#server.close(() => r()));
  }

  #status(res: http.ServerResponse, code: number, message: string) {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code }));
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = req.url ?? '/';
    const body = await new Promise<string>(r => {
      let text = '';
      req.on('data', d => (text += d));
      req.on('end', () => r(text));
    });
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];

    if (req.method === 'POST' && url === '/apis/tokenexchange.upbound.io/v1alpha1/orgscopedtokens') {
      const form = new URLSearchParams(body);
      if (
        bearer !== this.options.subjectToken ||
        form.get('subject_token') !== this.options.subjectToken ||
        form.get('scope') !== `upbound:org:${this.options.organization}`
      ) {
        this.#status(res, 401, 'invalid subject token');
        return;
      }
      this.exchanges++;
      this.#issued++;
      res.writeHead(200, { 'content-type': 'application/json' });
      // A long lifetime: only the rotation (a 401) makes the backend exchange again.
      res.end(JSON.stringify({ access_token: `org-token-${this.#issued}`, token_type: 'Bearer', expires_in: 3600 }));
      return;
    }
    if (req.method === 'POST' && url === '/v1/login') {
      res.writeHead(200, { 'set-cookie': 'SID=session-1; Path=/; HttpOnly' });
      res.end('{}');
      return;
    }
    const session = bearer === 'session-1';
    if (url === `/apis/upbound.io/v1alpha1/namespaces/${this.options.organization}/spaces`) {
      if (!session) {
        this.#status(res, 401, 'no session');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          items: [
            {
              metadata: { name: this.options.spaceName, labels: { 'spaces.upbound.io/mode': 'managed' } },
              status: { apiURL: this.url },
            },
          ],
        }),
      );
      return;
    }

    // The Space: the session may read its API; everything else needs a current org token.
    const n = Number(/^org-token-(\d+)$/.exec(bearer ?? '')?.[1] ?? 0);
    if (!session && !(n >= this.#oldestValid && n <= this.#issued)) {
      this.refused++;
      this.#status(res, 401, 'Unauthorized: the token has expired');
      return;
    }
    const target = new URL(url, this.options.ingress.url);
    const upstream = https.request(
      target,
      {
        method: req.method,
        agent: this.#upstreamAgent,
        headers: {
          ...Object.fromEntries(
            Object.entries(req.headers).filter(([k]) => !['host', 'authorization', 'cookie', 'connection'].includes(k)),
          ),
          authorization: `Bearer ${this.options.ingress.token}`,
        },
      },
      up => {
        const chunks: Buffer[] = [];
        up.on('data', c => chunks.push(c));
        up.on('end', () => {
          let text = Buffer.concat(chunks).toString('utf8');
          // Discovery reads where the Space's ingress is: here, with this server's CA.
          if (url.includes('/namespaces/upbound-system/configmaps/ingress-public') && up.statusCode === 200) {
            const cm = JSON.parse(text);
            cm.data['ingress-host'] = new URL(this.url).host;
            cm.data['ingress-ca'] = this.ca;
            text = JSON.stringify(cm);
          }
          const headers = { ...up.headers };
          delete headers['content-length'];
          delete headers['transfer-encoding'];
          res.writeHead(up.statusCode ?? 502, headers);
          res.end(text);
        });
      },
    );
    upstream.on('error', e => this.#status(res, 503, String(e)));
    upstream.end(body || undefined);
  }
}
