import { NotFoundError } from '@backstage/errors';
import {
  CROSSPLANE_COMPOSITE_LABEL,
  type GraphEdge,
  type GraphNode,
  type GraphNodeRole,
  type ResourceGraph,
} from '@upbound-backstage/plugin-upbound-common';
import type {
  KubeClient,
  KubeObject,
  ResourceType,
} from '@upbound-backstage/plugin-upbound-node';
import { CoalescingCache } from './CoalescingCache';
import { assertNotSecret } from './ObjectService';
import {
  childRefsOf,
  computeFailingPath,
  graphNodeId,
  missingNode,
  roleOf,
  toGraphNode,
  type ObjectRef,
} from './graphModel';

/** Default time a built graph is served from cache. @public */
export const DEFAULT_GRAPH_TTL_MS = 5000;
const DEFAULT_MAX_DEPTH = 16;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

interface PendingRef extends ObjectRef {
  parentId: string;
  parent: KubeObject;
  parentRole: GraphNodeRole;
}

/** Counts the data calls made while building one graph. */
class CallCounter {
  count = 0;
  constructor(private readonly client: KubeClient) {}
  list(
    type: ResourceType,
    options: { namespace?: string; labelSelector?: string },
  ) {
    this.count++;
    return this.client.list(type, options);
  }
  tryGet(type: ResourceType, name: string, namespace?: string) {
    this.count++;
    return this.client.tryGet(type, name, namespace);
  }
}

/**
 * Builds the resource graph of a claim or XR in one pass: claim → XR → composed resources, nested
 * XRs to any depth. Each level is fetched in parallel; each kind is resolved once; where several
 * refs of one level share a kind, one LIST by `crossplane.io/composite` label replaces the GETs.
 * API calls are therefore bounded by kinds per level, not by resources. Results are cached briefly
 * and concurrent identical requests share one build.
 * @public
 */
export class ResourceGraphBuilder {
  readonly #cache: CoalescingCache<ResourceGraph>;
  readonly #maxDepth: number;

  constructor(options: { cacheTtlMs?: number; maxDepth?: number } = {}) {
    this.#cache = new CoalescingCache({
      ttlMs: options.cacheTtlMs ?? DEFAULT_GRAPH_TTL_MS,
    });
    this.#maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  }

  /** The graph rooted at `root` in the cluster behind `client` (cached, coalesced). */
  build(client: KubeClient, root: ObjectRef): Promise<ResourceGraph> {
    // A graph carries the root's spec and status: never for a Secret, however it is reached.
    assertNotSecret(root);
    const key = `${client.clusterId}\u0000${graphNodeId(root)}`;
    return this.#cache.get(key, () => this.#build(client, root));
  }

  async #build(client: KubeClient, root: ObjectRef): Promise<ResourceGraph> {
    const calls = new CallCounter(client);
    const types = new Map<string, Promise<ResourceType>>();
    const resolve = (apiVersion: string, kind: string) => {
      const key = `${apiVersion}\u0000${kind}`;
      let t = types.get(key);
      if (!t) {
        t = client.resolve(apiVersion, kind);
        types.set(key, t);
      }
      return t;
    };

    const rootType = await resolve(root.apiVersion, root.kind);
    const rootRef: ObjectRef = {
      ...root,
      namespace: rootType.namespaced ? root.namespace : undefined,
    };
    if (rootType.namespaced && !rootRef.namespace) {
      throw new NotFoundError(
        `${root.kind} ${root.name}: a namespace is required`,
      );
    }
    const rootObj = await calls.tryGet(rootType, root.name, rootRef.namespace);
    if (!rootObj) {
      throw new NotFoundError(
        `${root.kind} ${rootRef.namespace ? `${rootRef.namespace}/` : ''}${
          root.name
        } not found in ${client.clusterId}`,
      );
    }

    const rootRole = roleOf(rootObj, true, rootType);
    const rootNode = toGraphNode(rootRef, rootObj, rootRole);
    const nodes = new Map<string, GraphNode>([[rootNode.id, rootNode]]);
    const children = new Map<string, string[]>();
    const edges: GraphEdge[] = [];
    const addEdge = (from: string, to: string) => {
      const list = children.get(from) ?? [];
      if (!list.includes(to)) {
        list.push(to);
        children.set(from, list);
        edges.push({ from, to });
      }
    };

    let frontier = this.#refs(rootObj, rootNode.id, rootRole);
    for (
      let depth = 0;
      frontier.length > 0 && depth < this.#maxDepth;
      depth++
    ) {
      // Edges first; fetch each object once even when several parents point at it.
      const toFetch = new Map<string, PendingRef>();
      for (const ref of frontier) {
        const id = graphNodeId(ref);
        addEdge(ref.parentId, id);
        if (!nodes.has(id) && !toFetch.has(id)) toFetch.set(id, ref);
      }
      const byKind = new Map<string, PendingRef[]>();
      for (const ref of toFetch.values()) {
        const key = `${ref.apiVersion}\u0000${ref.kind}`;
        byKind.set(key, [...(byKind.get(key) ?? []), ref]);
      }

      const fetched = await Promise.all(
        [...byKind.values()].map(refs => this.#fetchKind(calls, resolve, refs)),
      );

      const next: PendingRef[] = [];
      for (const group of fetched) {
        for (const { ref, obj, error, type } of group) {
          if (!obj) {
            const role = ref.parentRole === 'claim' ? 'composite' : 'resource';
            nodes.set(graphNodeId(ref), missingNode(ref, role, error));
            continue;
          }
          const role = roleOf(obj, false, type);
          const node = toGraphNode(ref, obj, role);
          nodes.set(node.id, node);
          next.push(...this.#refs(obj, node.id, role));
        }
      }
      frontier = next;
    }

    return {
      rootId: rootNode.id,
      nodes: [...nodes.values()],
      edges,
      failingPath: computeFailingPath(rootNode.id, nodes, children),
      apiCalls: calls.count,
      generatedAt: new Date().toISOString(),
    };
  }

  #refs(obj: KubeObject, id: string, role: GraphNodeRole): PendingRef[] {
    return childRefsOf(obj, role).map(r => ({
      ...r,
      parentId: id,
      parent: obj,
      parentRole: role,
    }));
  }

  /** Fetches the refs of one kind: one GET, or one LIST by composite label plus GETs for leftovers. */
  async #fetchKind(
    calls: CallCounter,
    resolve: (apiVersion: string, kind: string) => Promise<ResourceType>,
    refs: PendingRef[],
  ): Promise<
    Array<{
      ref: PendingRef;
      obj?: KubeObject;
      error?: string;
      type?: ResourceType;
    }>
  > {
    let type: ResourceType;
    try {
      type = await resolve(refs[0].apiVersion, refs[0].kind);
    } catch (e) {
      return refs.map(ref => ({ ref, error: (e as Error).message }));
    }
    // A namespaced child of a namespaced XR lives in the XR's namespace when the ref omits it.
    for (const ref of refs) {
      ref.namespace = type.namespaced
        ? ref.namespace ?? ref.parent.metadata?.namespace
        : undefined;
    }

    const found = new Map<string, KubeObject>();
    const selector = compositeSelector(refs);
    if (refs.length > 1 && selector) {
      const namespaces = new Set(refs.map(r => r.namespace));
      const namespace = namespaces.size === 1 ? [...namespaces][0] : undefined;
      try {
        const { items } = await calls.list(type, {
          namespace,
          labelSelector: selector,
        });
        for (const item of items) {
          found.set(
            `${item.metadata?.namespace ?? ''}/${item.metadata?.name}`,
            item,
          );
        }
      } catch {
        // Fall back to GETs below.
      }
    }

    return Promise.all(
      refs.map(async ref => {
        const key = `${ref.namespace ?? ''}/${ref.name}`;
        const hit = found.get(key);
        if (hit) return { ref, obj: hit, type };
        try {
          const obj = await calls.tryGet(type, ref.name, ref.namespace);
          return obj ? { ref, obj, type } : { ref };
        } catch (e) {
          return { ref, error: (e as Error).message };
        }
      }),
    );
  }
}

/**
 * `crossplane.io/composite in (...)` over the parents' names and their own composite labels, since
 * composed resources carry the label of the top-level XR.
 */
function compositeSelector(refs: PendingRef[]): string | undefined {
  const values = new Set<string>();
  for (const { parent } of refs) {
    const label = parent.metadata?.labels?.[CROSSPLANE_COMPOSITE_LABEL];
    if (label) values.add(label);
    if (parent.metadata?.name) values.add(parent.metadata.name);
  }
  const valid = [...values].filter(v => v.length <= 63 && LABEL_VALUE.test(v));
  if (valid.length === 0) return undefined;
  return `${CROSSPLANE_COMPOSITE_LABEL} in (${valid.sort().join(',')})`;
}
