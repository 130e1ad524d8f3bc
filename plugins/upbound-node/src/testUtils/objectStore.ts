import type {
  KubeError,
  KubeObject,
  ResourceType,
  WatchEventType,
  WatchHandlers,
} from '../types';
import { matchesFieldSelector, matchesLabelSelector } from './selectors';
import { clone, mergeApplied, mergePatchInto } from './merge';

/** Which objects a list or watch selects. */
export interface Selection {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

type Watcher = {
  type: ResourceType;
  selection: Selection;
  handlers: WatchHandlers<any>;
};

/**
 * One stored object: what controllers and merge patches wrote (`base`), what each field manager
 * last applied, and the object the API serves (`obj`, with resourceVersion).
 */
type Entry = {
  type: ResourceType;
  base?: KubeObject;
  managers: Map<string, KubeObject>;
  obj: KubeObject;
};

function typeKey(t: { group: string; plural: string }): string {
  return `${t.group}/${t.plural}`;
}

function objectKey(t: ResourceType, name: string, namespace?: string): string {
  return `${typeKey(t)}/${t.namespaced ? namespace ?? '' : ''}/${name}`;
}

/** The object without its resourceVersion, to tell a real change from a no-op write. */
function content(obj: KubeObject): string {
  const { resourceVersion: _rv, ...metadata } = obj.metadata ?? {};
  return JSON.stringify({ ...obj, metadata });
}

function selects(type: ResourceType, selection: Selection, obj: KubeObject) {
  return (
    (!selection.namespace ||
      !type.namespaced ||
      obj.metadata?.namespace === selection.namespace) &&
    matchesLabelSelector(obj, selection.labelSelector) &&
    matchesFieldSelector(obj, selection.fieldSelector)
  );
}

/**
 * The objects of an in-memory cluster, keyed as the API server keys them (group, plural,
 * namespace, name: every version of a type is one collection), with server-side apply per field
 * manager, resourceVersions and watch events. Everything in and out is copied.
 */
export class ObjectStore {
  readonly #entries = new Map<string, Entry>();
  readonly #watchers = new Set<Watcher>();
  #resourceVersion = 1;

  get resourceVersion(): string {
    return String(this.#resourceVersion);
  }

  /** Stored objects with their types (live, for discovery of CRDs and XRDs). */
  *typed(): IterableIterator<{ type: ResourceType; obj: KubeObject }> {
    for (const { type, obj } of this.#entries.values()) yield { type, obj };
  }

  all(): KubeObject[] {
    return [...this.#entries.values()].map(e => clone(e.obj));
  }

  get(type: ResourceType, name: string, namespace?: string) {
    return clone(this.#entries.get(objectKey(type, name, namespace))?.obj);
  }

  /** Objects of a type, sorted by namespace and name as the API server lists them. */
  select(type: ResourceType, selection: Selection = {}): KubeObject[] {
    const wanted = typeKey(type);
    return [...this.#entries.values()]
      .filter(
        e => typeKey(e.type) === wanted && selects(type, selection, e.obj),
      )
      .map(e => clone(e.obj))
      .sort((a, b) =>
        `${a.metadata?.namespace ?? ''}/${a.metadata?.name}`.localeCompare(
          `${b.metadata?.namespace ?? ''}/${b.metadata?.name}`,
        ),
      );
  }

  /**
   * A controller write: replaces the object (or, with a field manager, records it as applied by
   * that manager) and always bumps the resourceVersion.
   */
  upsert(type: ResourceType, input: KubeObject, fieldManager?: string) {
    const name = input.metadata!.name!;
    const key = objectKey(type, name, input.metadata?.namespace);
    const existing = this.#entries.get(key);
    if (!fieldManager) {
      const entry: Entry = {
        type,
        base: clone(input),
        managers: new Map(existing?.managers),
        obj: {},
      };
      entry.obj = this.#withMetadata(entry, clone(input), existing);
      return this.#store(key, entry, existing, true);
    }
    return this.#applyAs(type, input, fieldManager, { controller: true });
  }

  /** Server-side apply by `fieldManager`; a dry run returns what would be stored. */
  apply(
    type: ResourceType,
    obj: KubeObject,
    fieldManager: string,
    dryRun?: boolean,
  ): KubeObject {
    return this.#applyAs(type, obj, fieldManager, { dryRun });
  }

  /**
   * JSON merge patch, or undefined when the object does not exist. Patched fields become part of
   * the base, as an Update by another manager would own them.
   */
  mergePatch(
    type: ResourceType,
    name: string,
    namespace: string | undefined,
    patch: object,
    dryRun?: boolean,
  ): KubeObject | undefined {
    const key = objectKey(type, name, namespace);
    const existing = this.#entries.get(key);
    if (!existing) return undefined;
    const patched = mergePatchInto(existing.obj, patch);
    const entry = { ...existing, base: patched, obj: clone(patched) };
    if (dryRun) return this.#preview(entry, existing);
    return this.#store(key, entry, existing, false);
  }

  remove(type: ResourceType, name: string, namespace?: string): boolean {
    const key = objectKey(type, name, namespace);
    const existing = this.#entries.get(key);
    if (!existing) return false;
    this.#entries.delete(key);
    this.#notify('DELETED', existing.type, existing.obj);
    return true;
  }

  /** Sends events of matching objects to `handlers` until the returned function is called. */
  watch<T>(
    type: ResourceType,
    selection: Selection,
    handlers: WatchHandlers<T>,
  ): () => void {
    const watcher: Watcher = { type, selection, handlers };
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }

  /** Ends every watch as a 410 Gone would: watchers get the error, then a relist. */
  expireWatches(error: KubeError): void {
    for (const w of this.#watchers) {
      w.handlers.onError?.(error);
      w.handlers.onSync?.(this.select(w.type, w.selection));
    }
  }

  #applyAs(
    type: ResourceType,
    obj: KubeObject,
    fieldManager: string,
    options: { dryRun?: boolean; controller?: boolean },
  ): KubeObject {
    const key = objectKey(type, obj.metadata!.name!, obj.metadata?.namespace);
    const existing = this.#entries.get(key);
    const entry: Entry = {
      type,
      base: existing?.base,
      managers: new Map(existing?.managers).set(fieldManager, clone(obj)),
      obj: {},
    };
    const merged = mergeApplied(entry.base, entry.managers, obj);
    entry.obj = this.#withMetadata(entry, merged, existing);
    if (options.dryRun) return this.#preview(entry, existing);
    return this.#store(key, entry, existing, !!options.controller);
  }

  /** Fills what the server owns: uid, creationTimestamp; cluster-scoped objects lose a namespace. */
  #withMetadata(
    entry: Entry,
    obj: KubeObject,
    existing: Entry | undefined,
  ): KubeObject {
    const name = obj.metadata?.name;
    obj.metadata = {
      ...obj.metadata,
      uid:
        obj.metadata?.uid ??
        existing?.obj.metadata?.uid ??
        `uid-${this.#resourceVersion}-${name}`,
      creationTimestamp:
        obj.metadata?.creationTimestamp ??
        existing?.obj.metadata?.creationTimestamp ??
        new Date(0).toISOString(),
    };
    if (!entry.type.namespaced || obj.metadata.namespace === undefined) {
      delete obj.metadata.namespace;
    }
    return obj;
  }

  /** What a write would store, without storing it (dry run). */
  #preview(entry: Entry, existing: Entry | undefined): KubeObject {
    const obj = clone(entry.obj);
    if (existing && content(existing.obj) === content(obj)) {
      obj.metadata!.resourceVersion = existing.obj.metadata?.resourceVersion;
    } else {
      delete obj.metadata!.resourceVersion;
    }
    return obj;
  }

  /**
   * Stores an entry and notifies watchers. A client write that changes nothing keeps the
   * resourceVersion and sends no event, as the API server does; a controller write always counts.
   */
  #store(
    key: string,
    entry: Entry,
    existing: Entry | undefined,
    always: boolean,
  ): KubeObject {
    if (!always && existing && content(existing.obj) === content(entry.obj)) {
      return clone(existing.obj);
    }
    entry.obj.metadata = {
      ...entry.obj.metadata,
      resourceVersion: String(++this.#resourceVersion),
    };
    this.#entries.set(key, entry);
    this.#notify(existing ? 'MODIFIED' : 'ADDED', entry.type, entry.obj);
    return clone(entry.obj);
  }

  #notify(event: WatchEventType, type: ResourceType, obj: KubeObject): void {
    for (const w of this.#watchers) {
      if (typeKey(w.type) !== typeKey(type)) continue;
      // Watches select by namespace and labels only, as the access layer's watch does.
      const { fieldSelector: _f, ...selection } = w.selection;
      if (!selects(type, selection, obj)) continue;
      w.handlers.onEvent(event, clone(obj));
    }
  }
}
