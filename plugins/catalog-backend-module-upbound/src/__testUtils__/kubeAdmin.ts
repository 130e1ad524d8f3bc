/*
 * Helpers of the local Space integration tests: set-up calls with a control plane's admin token
 * (before any backend exists), a free port range, and a small aggregated API server.
 */
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** A control plane API server reached with its admin token. */
export interface KubeTarget {
  url: string;
  token: string;
  ca: string;
}

/** One call to the API server; throws with the status and body unless `ok` accepts the status. */
export async function kube(
  target: KubeTarget,
  method: string,
  path: string,
  body?: unknown,
  ok: (status: number) => boolean = s => s < 300,
): Promise<any> {
  const url = new URL(path, target.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ca: target.ca,
        headers: {
          Authorization: `Bearer ${target.token}`,
          Accept: 'application/json',
          ...(payload
            ? {
                'Content-Type':
                  method === 'PATCH'
                    ? 'application/merge-patch+json'
                    : 'application/json',
              }
            : {}),
        },
      },
      res => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', d => {
          text += d;
        });
        res.on('end', () => {
          if (!ok(res.statusCode ?? 0)) {
            reject(
              new Error(
                `${method} ${path} answered ${res.statusCode}: ${text}`,
              ),
            );
            return;
          }
          try {
            resolve(text ? JSON.parse(text) : undefined);
          } catch {
            resolve(text);
          }
        });
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** Creates an object, or replaces the one of the same name. */
export async function upsert(
  target: KubeTarget,
  collectionPath: string,
  obj: { metadata: { name: string } },
): Promise<void> {
  const existing = await kube(
    target,
    'GET',
    `${collectionPath}/${obj.metadata.name}`,
    undefined,
    s => s < 300 || s === 404,
  );
  if (existing?.metadata?.resourceVersion) {
    await kube(target, 'PUT', `${collectionPath}/${obj.metadata.name}`, {
      ...obj,
      metadata: {
        ...obj.metadata,
        resourceVersion: existing.metadata.resourceVersion,
      },
    });
  } else {
    await kube(target, 'POST', collectionPath, obj);
  }
}

/** Deletes an object; a missing one is fine. */
export async function remove(target: KubeTarget, path: string): Promise<void> {
  await kube(target, 'DELETE', path, undefined, s => s < 300 || s === 404);
}

function portFree(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** The first base port from `start` (in steps of 100) whose 100 ports (a whole Space) are free. */
export async function freeBasePort(start: number): Promise<number> {
  for (let base = start; base + 100 < 32768; base += 100) {
    const free = await Promise.all(
      Array.from({ length: 100 }, (_, i) => portFree(base + i)),
    );
    if (free.every(Boolean)) return base;
  }
  throw new Error(`no free range of 100 ports from ${start}`);
}

/**
 * An extension API server for one group/version with one namespaced resource: it answers
 * discovery, so the API server reports the APIService Available, and never answers a LIST of the
 * resource (the way a stalled aggregated API, such as a broken connector, behaves).
 */
export async function startStalledApiServer(options: {
  group: string;
  version: string;
  plural: string;
  kind: string;
  certFile: string;
  keyFile: string;
}): Promise<{ port: number; stop(): Promise<void> }> {
  const { group, version, plural, kind } = options;
  const gv = `${group}/${version}`;
  const groupDoc = {
    name: group,
    versions: [{ groupVersion: gv, version }],
    preferredVersion: { groupVersion: gv, version },
  };
  const stalled = new Set<import('node:http').ServerResponse>();
  const server = https.createServer(
    {
      cert: fs.readFileSync(options.certFile),
      key: fs.readFileSync(options.keyFile),
    },
    (req, res) => {
      const path = (req.url ?? '').split('?')[0];
      const json = (o: unknown) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(o));
      };
      if (path === `/apis/${gv}`)
        return json({
          kind: 'APIResourceList',
          apiVersion: 'v1',
          groupVersion: gv,
          resources: [
            {
              name: plural,
              singularName: kind.toLowerCase(),
              namespaced: true,
              kind,
              verbs: ['get', 'list', 'watch'],
            },
          ],
        });
      if (path === `/apis/${group}`)
        return json({ kind: 'APIGroup', apiVersion: 'v1', ...groupDoc });
      if (path === '/apis')
        return json({
          kind: 'APIGroupList',
          apiVersion: 'v1',
          groups: [groupDoc],
        });
      if (path.endsWith(`/${plural}`)) {
        stalled.add(res); // never answered until stop()
        return undefined;
      }
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(
        '{"kind":"Status","apiVersion":"v1","status":"Failure","code":404}',
      );
      return undefined;
    },
  );
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  return {
    port: (server.address() as AddressInfo).port,
    async stop() {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    },
  };
}
