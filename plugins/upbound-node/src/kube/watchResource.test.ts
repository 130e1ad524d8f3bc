import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { DefaultKubeClient } from './DefaultKubeClient';
import { wellKnownTypes } from './wellKnownTypes';
import type { KubeObject } from '../types';

const SERVER = 'https://mcp.test:6443';
const server = setupServer();
registerMswTestHooks(server);

function streamOf(
  lines: object[],
  keepOpen = false,
): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const l of lines)
        controller.enqueue(enc.encode(`${JSON.stringify(l)}\n`));
      if (!keepOpen) controller.close();
    },
  });
}

const cm = (name: string, rv: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'ns', resourceVersion: rv },
});

describe('watch', () => {
  it('lists, watches from the list resourceVersion, relists on 410 and re-watches after a close', async () => {
    const watchRvs: string[] = [];
    let lists = 0;
    let watches = 0;
    server.use(
      http.get(`${SERVER}/api/v1/namespaces/ns/configmaps`, ({ request }) => {
        const url = new URL(request.url);
        if (url.searchParams.get('watch') !== '1') {
          lists++;
          return HttpResponse.json({
            metadata: { resourceVersion: lists === 1 ? '10' : '20' },
            items: [cm('a', '5')],
          });
        }
        watches++;
        watchRvs.push(url.searchParams.get('resourceVersion')!);
        if (watches === 1) {
          return new HttpResponse(
            streamOf([
              { type: 'ADDED', object: cm('b', '11') },
              {
                type: 'BOOKMARK',
                object: { metadata: { resourceVersion: '12' } },
              },
              {
                type: 'ERROR',
                object: {
                  kind: 'Status',
                  code: 410,
                  reason: 'Expired',
                  message: 'too old resource version',
                },
              },
            ]),
          );
        }
        if (watches === 2) {
          return new HttpResponse(
            streamOf([{ type: 'MODIFIED', object: cm('a', '21') }]),
          );
        }
        if (watches === 3) return new HttpResponse('gone', { status: 410 });
        return new HttpResponse(
          streamOf([{ type: 'DELETED', object: cm('a', '30') }], true),
        );
      }),
    );
    const client = new DefaultKubeClient({
      clusterId: 'direct/oss',
      connection: { server: SERVER, token: 't' },
      concurrency: 2,
      timeoutMs: 1000,
    });
    const events: string[] = [];
    const syncs: number[] = [];
    const errors: string[] = [];
    let deleted!: () => void;
    const done = new Promise<void>(r => {
      deleted = r;
    });
    const handle = client.watch<KubeObject>(
      wellKnownTypes.configMap,
      { namespace: 'ns' },
      {
        onEvent: (type, obj) => {
          events.push(`${type}:${obj.metadata?.name}:${obj.kind}`);
          if (type === 'DELETED') deleted();
        },
        onSync: items => syncs.push(items.length),
        onError: e => errors.push(e.type),
      },
    );
    await handle.ready;
    await done;
    handle.stop();
    expect(events).toEqual([
      'ADDED:b:ConfigMap',
      'MODIFIED:a:ConfigMap',
      'DELETED:a:ConfigMap',
    ]);
    // 1st watch from the list; 410 event -> relist (rv 20); closed -> re-watch from last rv; 410 status -> relist.
    expect(watchRvs).toEqual(['10', '20', '21', '20']);
    expect(syncs).toEqual([1, 1, 1]);
    expect(lists).toBe(3);
    expect(errors).toEqual(['gone']);
  });

  it('rejects ready when the type can never be watched', async () => {
    server.use(
      http.get(`${SERVER}/api/v1/namespaces/ns/configmaps`, () =>
        HttpResponse.json(
          { kind: 'Status', code: 403, reason: 'Forbidden', message: 'no' },
          { status: 403 },
        ),
      ),
    );
    const client = new DefaultKubeClient({
      clusterId: 'direct/oss',
      connection: { server: SERVER, token: 't' },
      concurrency: 2,
      timeoutMs: 1000,
    });
    const handle = client.watch(
      wellKnownTypes.configMap,
      { namespace: 'ns' },
      { onEvent: () => {} },
    );
    await expect(handle.ready).rejects.toMatchObject({ type: 'forbidden' });
    handle.stop();
  });
});
