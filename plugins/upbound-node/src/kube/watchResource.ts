import type { KubeErrorType } from '@upbound-backstage/plugin-upbound-common';
import {
  KubeError,
  type KubeObject,
  type ListResult,
  type ResourceType,
  type WatchEventType,
  type WatchHandle,
  type WatchHandlers,
} from '../types';
import type { KubeTransport } from './KubeTransport';
import { resourcePath, withQuery } from './paths';

/** Options of {@link watchResource}. @public */
export interface WatchResourceOptions {
  transport: KubeTransport;
  type: ResourceType;
  namespace?: string;
  labelSelector?: string;
  /** Lists every page (the client's `list`). */
  list(): Promise<ListResult<KubeObject>>;
  /** Server-side watch timeout per connection. Default 300 s. */
  timeoutSeconds?: number;
  /** Backoff after a failure: base and cap in ms. */
  backoffMs?: { base: number; max: number };
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const WATCH_ERROR_TYPES: Record<number, KubeErrorType> = {
  401: 'unauthorized',
  403: 'forbidden',
};

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/**
 * List then watch from the list's resourceVersion. A 410 Gone (or an ERROR event with code 410)
 * relists and calls `onSync`; a closed connection re-watches from the last seen resourceVersion; any
 * other failure is reported to `onError` and retried with exponential backoff until `stop()`.
 * @public
 */
export function watchResource<T = KubeObject>(
  options: WatchResourceOptions,
  handlers: WatchHandlers<T>,
): WatchHandle {
  const controller = new AbortController();
  const { signal } = controller;
  const sleep = options.sleep ?? abortableSleep;
  const backoff = options.backoffMs ?? { base: 500, max: 30_000 };
  let resolveReady!: () => void;
  let rejectReady!: (e: unknown) => void;
  const ready = new Promise<void>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  ready.catch(() => {});
  let readySettled = false;

  const report = (e: unknown) => {
    const err =
      e instanceof KubeError
        ? e
        : new KubeError({
            type: 'unknown',
            cluster: options.transport.clusterId,
            message: `Watch of ${options.type.plural} on ${
              options.transport.clusterId
            } failed: ${(e as Error)?.message ?? e}`,
          });
    handlers.onError?.(err);
    return err;
  };

  const relist = async (): Promise<string> => {
    const result = await options.list();
    handlers.onSync?.(result.items as T[]);
    return result.resourceVersion;
  };

  /** Reads one watch connection; returns the last resourceVersion, or undefined after a 410. */
  const readStream = async (
    resourceVersion: string,
  ): Promise<string | undefined> => {
    const path = withQuery(
      resourcePath(options.type, { namespace: options.namespace }),
      {
        watch: 1,
        resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: options.timeoutSeconds ?? 300,
        labelSelector: options.labelSelector,
      },
    );
    const body = await options.transport.stream(
      { method: 'GET', path, verb: 'watch' },
      signal,
    );
    if (!readySettled) {
      readySettled = true;
      resolveReady();
    }
    let buffer = '';
    let rv: string | undefined = resourceVersion;
    for await (const chunk of body as AsyncIterable<Buffer | string>) {
      if (signal.aborted) break;
      buffer += chunk.toString();
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (!line) continue;
        let event: { type?: string; object?: any };
        try {
          event = JSON.parse(line);
        } catch {
          continue;
        }
        if (event.type === 'ERROR') {
          const code = event.object?.code;
          if (code === 410) return undefined;
          throw new KubeError({
            type: WATCH_ERROR_TYPES[code] ?? 'unknown',
            cluster: options.transport.clusterId,
            statusCode: code,
            path,
            message: `Watch of ${options.type.plural} on ${
              options.transport.clusterId
            } ended: ${event.object?.message ?? 'error event'}`,
          });
        }
        const newRv = event.object?.metadata?.resourceVersion;
        if (newRv) rv = newRv;
        if (event.type === 'BOOKMARK') continue;
        if (event.type && event.object)
          handlers.onEvent(event.type as WatchEventType, event.object as T);
      }
    }
    return rv;
  };

  (async () => {
    let rv: string | undefined;
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (rv === undefined) rv = await relist();
        if (signal.aborted) break;
        rv = await readStream(rv);
        failures = 0;
      } catch (e) {
        if (signal.aborted) break;
        const err = report(e);
        if (err.type === 'gone') {
          rv = undefined;
          continue;
        }
        if (
          !readySettled &&
          (err.type === 'forbidden' ||
            err.type === 'not-found' ||
            err.type === 'crd-missing')
        ) {
          // A watch that can never work: fail `ready` and stop.
          readySettled = true;
          rejectReady(err);
          return;
        }
        failures++;
        await sleep(
          Math.min(backoff.max, backoff.base * 2 ** Math.min(failures - 1, 10)),
          signal,
        );
      }
    }
    if (!readySettled) {
      readySettled = true;
      resolveReady();
    }
  })();

  return {
    ready,
    stop: () => controller.abort(),
  };
}
