import {
  conditionsOf,
  isCredentialFailure,
  summarizeCondition,
  type ArgoApplicationStatus,
  type ClusterError,
  type FluxKustomizationStatus,
  type GitOpsStatusResponse,
} from '@upbound-backstage/plugin-upbound-common';
import type {
  ArgoCdInstance,
  ControlPlane,
  FluxInstance,
  KubeObject,
  UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import { parse as parseYaml } from 'yaml';
import { toClusterError } from '@upbound-backstage/plugin-upbound-node';

const ARGO_SECRET_TYPE_LABEL = 'argocd.argoproj.io/secret-type';
const FLUX_SOURCE_API_VERSION = 'source.toolkit.fluxcd.io/v1';

/**
 * A server URL in a comparable form: lower-case scheme and host, default port dropped, trailing
 * slashes removed. Unparseable values are compared as trimmed strings.
 * @public
 */
export function normalizeServerUrl(url: string | undefined): string {
  if (!url) return '';
  const trimmed = url.trim();
  try {
    const u = new URL(trimmed);
    const port =
      u.port && !(u.protocol === 'https:' && u.port === '443')
        ? `:${u.port}`
        : '';
    return `${
      u.protocol
    }//${u.hostname.toLowerCase()}${port}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return trimmed.replace(/\/+$/, '');
  }
}

function decode(value: unknown): string | undefined {
  return typeof value === 'string'
    ? Buffer.from(value, 'base64').toString('utf8')
    : undefined;
}

/** Servers named by a kubeconfig, current context first. Only the URLs are kept. */
export function kubeconfigServers(text: string): string[] {
  let doc: any;
  try {
    doc = parseYaml(text);
  } catch {
    return [];
  }
  const clusters: any[] = Array.isArray(doc?.clusters) ? doc.clusters : [];
  const contexts: any[] = Array.isArray(doc?.contexts) ? doc.contexts : [];
  const current = contexts.find(c => c?.name === doc?.['current-context'])
    ?.context?.cluster;
  const servers = clusters
    .sort((a, b) => Number(b?.name === current) - Number(a?.name === current))
    .map(c => c?.cluster?.server)
    .filter((s): s is string => typeof s === 'string');
  return servers;
}

/**
 * GitOps status of a control plane: Argo CD Applications whose destination is the control plane
 * (matched through the instance's cluster Secrets) and Flux Kustomizations whose kubeConfig Secret
 * points at it. Secrets are read here and never returned.
 * @public
 */
export class GitOpsService {
  constructor(private readonly upbound: UpboundService) {}

  async get(cp: ControlPlane): Promise<GitOpsStatusResponse> {
    const target = normalizeServerUrl(cp.server);
    const errors: ClusterError[] = [];
    const [argocd, flux] = await Promise.all([
      Promise.all(
        this.upbound.argoCdInstances().map(i =>
          this.#argo(i, target).catch(e => {
            errors.push(toClusterError(`app-cluster/${i.appCluster}`, e));
            return [];
          }),
        ),
      ),
      Promise.all(
        this.upbound.fluxInstances().map(i =>
          this.#flux(i, target).catch(e => {
            errors.push(toClusterError(`app-cluster/${i.appCluster}`, e));
            return [];
          }),
        ),
      ),
    ]);
    return { argocd: argocd.flat(), flux: flux.flat(), errors };
  }

  async #argo(
    instance: ArgoCdInstance,
    target: string,
  ): Promise<ArgoApplicationStatus[]> {
    const { client } = this.upbound.appCluster(instance.appCluster);
    const [secretType, appType] = await Promise.all([
      client.resolve('v1', 'Secret'),
      client.resolve('argoproj.io/v1alpha1', 'Application'),
    ]);
    const { items: secrets } = await client.list(secretType, {
      namespace: instance.namespace,
      labelSelector: `${ARGO_SECRET_TYPE_LABEL}=cluster`,
    });
    const names = new Set<string>();
    let matched = false;
    for (const s of secrets) {
      const data = (s as any).data ?? {};
      if (normalizeServerUrl(decode(data.server)) !== target) continue;
      matched = true;
      const name = decode(data.name);
      if (name) names.add(name);
    }
    if (!matched) return [];

    const { items: apps } = await client.list(appType, {
      namespace: instance.namespace,
    });
    const canSync = !!instance.url && typeof instance.request === 'function';
    return apps
      .filter(app => {
        const dest = app.spec?.destination ?? {};
        return dest.server
          ? normalizeServerUrl(dest.server) === target
          : typeof dest.name === 'string' && names.has(dest.name);
      })
      .map(app => toArgoStatus(instance, app, canSync));
  }

  async #flux(
    instance: FluxInstance,
    target: string,
  ): Promise<FluxKustomizationStatus[]> {
    const { client } = this.upbound.appCluster(instance.appCluster);
    const [secretType, ksType] = await Promise.all([
      client.resolve('v1', 'Secret'),
      client.resolve('kustomize.toolkit.fluxcd.io/v1', 'Kustomization'),
    ]);
    const { items } = await client.list(ksType, {
      namespace: instance.namespace,
    });
    const remote = items.filter(
      k => typeof k.spec?.kubeConfig?.secretRef?.name === 'string',
    );
    // One GET per distinct Secret, not per Kustomization.
    const secretNames = [
      ...new Set(remote.map(k => k.spec.kubeConfig.secretRef.name as string)),
    ];
    const secrets = new Map<string, KubeObject | undefined>();
    await Promise.all(
      secretNames.map(async name => {
        secrets.set(
          name,
          await client.tryGet(secretType, name, instance.namespace),
        );
      }),
    );
    const mine = remote.filter(k => {
      const ref = k.spec.kubeConfig.secretRef;
      const data = (secrets.get(ref.name) as any)?.data ?? {};
      const keys = ref.key ? [ref.key] : ['value', 'value.yaml'];
      return keys.some(key => {
        const text = decode(data[key]);
        return (
          !!text &&
          kubeconfigServers(text).some(s => normalizeServerUrl(s) === target)
        );
      });
    });
    // One GET per distinct source: a failing clone is reported on the source, not on the Kustomization.
    const sourceKey = (k: KubeObject) => {
      const ref = k.spec?.sourceRef ?? {};
      return `${ref.kind}/${ref.namespace ?? k.metadata?.namespace}/${
        ref.name
      }`;
    };
    const sources = new Map<string, KubeObject | undefined>();
    await Promise.all(
      [...new Set(mine.map(sourceKey))].map(async key => {
        const [kind, ns, name] = key.split('/');
        try {
          const type = await client.resolve(FLUX_SOURCE_API_VERSION, kind);
          sources.set(key, await client.tryGet(type, name, ns));
        } catch {
          sources.set(key, undefined);
        }
      }),
    );
    return mine.map(k => toFluxStatus(instance, k, sources.get(sourceKey(k))));
  }
}

function credentialProblem(
  engine: string,
  messages: Array<string | undefined>,
): string | undefined {
  const m = messages.find(isCredentialFailure);
  return m
    ? `${engine} cannot authenticate to the control plane: ${m}. Give the connection a valid token (run the connect template again with a new credential).`
    : undefined;
}

function toArgoStatus(
  instance: ArgoCdInstance,
  app: KubeObject,
  canSync: boolean,
): ArgoApplicationStatus {
  const spec = app.spec ?? {};
  const status = app.status ?? {};
  const source = spec.source ?? spec.sources?.[0] ?? {};
  const conditions: Array<{ type: string; message?: string }> = (
    Array.isArray(status.conditions) ? status.conditions : []
  )
    .filter((c: any) => typeof c?.type === 'string')
    .map((c: any) => strip({ type: c.type, message: c.message }));
  return strip({
    instance: instance.name,
    namespace: app.metadata?.namespace ?? instance.namespace,
    name: app.metadata?.name ?? '',
    project: spec.project,
    repoURL: source.repoURL,
    path: source.path,
    targetRevision: source.targetRevision,
    syncStatus: status.sync?.status,
    syncRevision: status.sync?.revision,
    healthStatus: status.health?.status,
    healthMessage: status.health?.message,
    operationPhase: status.operationState?.phase,
    operationMessage: status.operationState?.message,
    operationFinishedAt: status.operationState?.finishedAt,
    canSync,
    conditions: conditions.length ? conditions : undefined,
    resourceCount: Array.isArray(status.resources)
      ? status.resources.length
      : undefined,
    credentialProblem: credentialProblem('Argo CD', [
      ...conditions.map(c => c.message),
      status.operationState?.message,
    ]),
  });
}

function toFluxStatus(
  instance: FluxInstance,
  k: KubeObject,
  source: KubeObject | undefined,
): FluxKustomizationStatus {
  const spec = k.spec ?? {};
  const status = k.status ?? {};
  const conditions = conditionsOf(k);
  const ready = summarizeCondition(conditions, 'Ready');
  return strip({
    instance: instance.name,
    namespace: k.metadata?.namespace ?? instance.namespace,
    name: k.metadata?.name ?? '',
    sourceRef: spec.sourceRef
      ? strip({
          kind: spec.sourceRef.kind,
          name: spec.sourceRef.name,
          namespace: spec.sourceRef.namespace,
        })
      : undefined,
    path: spec.path,
    ready,
    readySince: conditions.find(c => c.type === 'Ready')?.lastTransitionTime,
    lastAppliedRevision: status.lastAppliedRevision,
    lastAttemptedRevision: status.lastAttemptedRevision,
    suspended: spec.suspend === true ? true : undefined,
    source: source
      ? strip({
          url: source.spec?.url,
          ready: summarizeCondition(conditionsOf(source), 'Ready'),
          revision: source.status?.artifact?.revision,
        })
      : undefined,
    resourceCount: Array.isArray(status.inventory?.entries)
      ? status.inventory.entries.length
      : undefined,
    credentialProblem: credentialProblem('Flux', [ready.message]),
  });
}

function strip<T extends object>(o: T): T {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined),
  ) as T;
}
