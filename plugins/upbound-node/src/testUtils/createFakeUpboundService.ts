import { NotFoundError } from '@backstage/errors';
import type {
  ClaimApi,
  ClusterError,
  ControlPlaneSummary,
} from '@upbound-backstage/plugin-upbound-common';
import type {
  AppCluster,
  ArgoCdInstance,
  ClusterCallStats,
  ControlPlane,
  ControlPlaneCredentials,
  FluxInstance,
  InventorySnapshot,
  KubeObject,
  ResourceType,
  UpboundService,
} from '../types';
import { InMemoryKubeClient } from './InMemoryKubeClient';
import { wellKnownTypes } from '../kube/wellKnownTypes';
import { xrdToClaimApi } from '../claimApis/xrdToClaimApi';

/** A control plane of the fake service, with the objects in it. @public */
export interface FakeControlPlaneSeed
  extends Partial<Omit<ControlPlaneSummary, 'name'>> {
  name: string;
  objects?: KubeObject[];
  resourceTypes?: ResourceType[];
  server?: string;
  caData?: string;
  /** The bearer token `controlPlaneCredentials` hands out; default `fake-token-for-<id>`. */
  token?: string;
}

/** An app cluster of the fake service, with the objects in it. @public */
export interface FakeAppClusterSeed {
  name: string;
  title?: string;
  clusterId?: string;
  source?: 'upbound' | 'kubernetes-plugin';
  server?: string;
  objects?: KubeObject[];
  resourceTypes?: ResourceType[];
}

/** Options of {@link createFakeUpboundService}. @public */
export interface FakeUpboundServiceOptions {
  controlPlanes?: FakeControlPlaneSeed[];
  appClusters?: FakeAppClusterSeed[];
  argocd?: Array<
    Omit<ArgoCdInstance, 'request'> & {
      /** Handles Argo CD REST calls; when absent and `url` is set, calls resolve to `{}`. */
      request?: ArgoCdInstance['request'];
    }
  >;
  flux?: FluxInstance[];
  /** Discovery errors reported in the inventory. */
  errors?: ClusterError[];
}

/**
 * The fake {@link UpboundService}: everything the real one offers, backed by
 * {@link InMemoryKubeClient}s, plus helpers to change the inventory during a test. Its methods
 * are plain properties, so a test may replace one (say, `claimApis`) for a case the seeds cannot
 * express.
 * @public
 */
export interface FakeUpboundService extends UpboundService {
  /** The in-memory client of a control plane (by id) or app cluster (`app-cluster/<name>`). */
  client(id: string): InMemoryKubeClient;
  /**
   * Adds or replaces a control plane and notifies inventory listeners. The returned object is the
   * one the service hands out, so a test may change it (say, its `source`) in place.
   */
  addControlPlane(seed: FakeControlPlaneSeed): ControlPlane;
  /** Removes a control plane and notifies inventory listeners. */
  removeControlPlane(id: string): void;
  /** Replaces the inventory's discovery errors and notifies inventory listeners. */
  setErrors(errors: ClusterError[]): void;
}

function controlPlaneId(seed: FakeControlPlaneSeed): string {
  if (seed.id) return seed.id;
  const source = seed.source ?? 'space';
  if (source === 'direct') return `direct/${seed.name}`;
  return `${source}/${seed.space ?? 'local'}/${seed.group ?? 'default'}/${
    seed.name
  }`;
}

/**
 * Creates a fake {@link UpboundService} for unit tests: control planes and app clusters are
 * in-memory clusters seeded from JSON objects. Claim APIs are read from the seeded XRDs, exactly as
 * the real service does.
 *
 * @example
 * ```ts
 * const upbound = createFakeUpboundService({
 *   controlPlanes: [{ name: 'ctp1', space: 'local', group: 'default', objects: [xrd, claim] }],
 * });
 * const cp = await upbound.controlPlane('space/local/default/ctp1');
 * ```
 * @public
 */
export function createFakeUpboundService(
  options: FakeUpboundServiceOptions = {},
): FakeUpboundService {
  const controlPlanes = new Map<string, ControlPlane>();
  const tokens = new Map<string, string>();
  const clients = new Map<string, InMemoryKubeClient>();
  const listeners = new Set<(s: InventorySnapshot) => void>();
  let errors: ClusterError[] = options.errors ?? [];
  let refreshedAt = new Date().toISOString();

  const snapshot = (): InventorySnapshot => ({
    controlPlanes: [...controlPlanes.values()],
    errors: [...errors],
    refreshedAt,
  });
  const notify = () => {
    refreshedAt = new Date().toISOString();
    const s = snapshot();
    for (const l of listeners) l(s);
  };

  const buildControlPlane = (seed: FakeControlPlaneSeed): ControlPlane => {
    const id = controlPlaneId(seed);
    const client = new InMemoryKubeClient({
      clusterId: id,
      objects: seed.objects,
      resourceTypes: seed.resourceTypes,
    });
    clients.set(id, client);
    if (seed.token) tokens.set(id, seed.token);
    const {
      objects: _o,
      resourceTypes: _t,
      token: _token,
      server,
      caData,
      ...summary
    } = seed;
    const source =
      seed.source ?? (id.startsWith('direct/') ? 'direct' : 'space');
    return {
      conditions: [],
      ready: { state: 'True' },
      ...summary,
      ...(source !== 'direct'
        ? { space: seed.space ?? 'local', group: seed.group ?? 'default' }
        : {}),
      id,
      source,
      client,
      server:
        server ??
        `https://fake.invalid/apis/spaces.upbound.io/v1beta1/namespaces/${
          seed.group ?? 'default'
        }/controlplanes/${seed.name}/k8s`,
      ...(caData ? { caData } : {}),
    };
  };

  for (const seed of options.controlPlanes ?? []) {
    const cp = buildControlPlane(seed);
    controlPlanes.set(cp.id, cp);
  }

  const appClusters = new Map<string, AppCluster>();
  for (const seed of options.appClusters ?? []) {
    const id = `app-cluster/${seed.name}`;
    const client = new InMemoryKubeClient({
      clusterId: id,
      objects: seed.objects,
      resourceTypes: seed.resourceTypes,
    });
    clients.set(id, client);
    appClusters.set(seed.name, {
      name: seed.name,
      ...(seed.title ? { title: seed.title } : {}),
      ...(seed.clusterId ? { clusterId: seed.clusterId } : {}),
      source: seed.source ?? 'upbound',
      client,
      server: seed.server ?? `https://${seed.name}.fake.invalid`,
    });
  }

  const argocd: ArgoCdInstance[] = (options.argocd ?? []).map(a => ({
    ...a,
    ...(a.url && !a.request ? { request: async () => ({}) } : {}),
  }));

  const getControlPlane = (id: string): ControlPlane => {
    const cp = controlPlanes.get(id);
    if (!cp) throw new NotFoundError(`Control plane '${id}' not found`);
    return cp;
  };

  return {
    async inventory() {
      return snapshot();
    },
    async controlPlane(id) {
      return getControlPlane(id);
    },
    appClusters() {
      return [...appClusters.values()];
    },
    appCluster(name) {
      const c = appClusters.get(name);
      if (!c)
        throw new NotFoundError(`App cluster '${name}' is not configured`);
      return c;
    },
    argoCdInstances() {
      return argocd;
    },
    fluxInstances() {
      return options.flux ?? [];
    },
    async claimApis(id): Promise<ClaimApi[]> {
      const cp = getControlPlane(id);
      const types = await cp.client.resourceTypes();
      const xrdType =
        types.find(
          t =>
            t.group === 'apiextensions.crossplane.io' &&
            t.kind === 'CompositeResourceDefinition',
        ) ?? wellKnownTypes.xrdV1;
      const { items } = await cp.client.list(xrdType);
      return items.map(xrdToClaimApi).filter((a): a is ClaimApi => !!a);
    },
    async controlPlaneCredentials(id): Promise<ControlPlaneCredentials> {
      const cp = getControlPlane(id);
      return {
        server: cp.server,
        ...(cp.caData ? { caData: cp.caData } : {}),
        bearerToken: tokens.get(cp.id) ?? `fake-token-for-${cp.id}`,
      };
    },
    onInventoryChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    stats() {
      const out: Record<string, ClusterCallStats> = {};
      for (const [id, c] of clients) out[id] = c.stats();
      return out;
    },
    client(id) {
      const c = clients.get(id);
      if (!c) throw new Error(`No fake cluster '${id}'`);
      return c;
    },
    addControlPlane(seed) {
      const cp = buildControlPlane(seed);
      controlPlanes.set(cp.id, cp);
      notify();
      return cp;
    },
    removeControlPlane(id) {
      controlPlanes.delete(id);
      clients.delete(id);
      tokens.delete(id);
      notify();
    },
    setErrors(next) {
      errors = next;
      notify();
    },
  };
}
