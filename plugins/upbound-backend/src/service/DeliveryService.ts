import {
  conditionsOf,
  gitOpsOriginOf,
  isFailing,
  type ArgoApplicationStatus,
  type ClaimDelivery,
  type ClusterError,
  type DeliveryStep,
  type FluxKustomizationStatus,
  type GitOpsOrigin,
  type GraphNode,
  type ResourceGraph,
} from '@upbound-backstage/plugin-upbound-common';
import type {
  ControlPlane,
  KubeObject,
} from '@upbound-backstage/plugin-upbound-node';
import type { GitOpsService } from './GitOpsService';
import type { ObjectRef } from './graphModel';
import { toClusterError } from '@upbound-backstage/plugin-upbound-node';
import type { ResourceGraphBuilder } from './ResourceGraphBuilder';

/** Field managers the engines apply with. */
const ENGINE_MANAGERS: Record<GitOpsOrigin['engine'], RegExp> = {
  argocd: /^argocd-controller$/,
  flux: /^kustomize-controller$/,
};

function engineName(origin: GitOpsOrigin): string {
  return origin.engine === 'argocd'
    ? `Argo CD Application ${origin.name}`
    : `Flux Kustomization ${origin.namespace ? `${origin.namespace}/` : ''}${
        origin.name
      }`;
}

/** The newest time `manager` wrote the object (managedFields), if it ever did. */
function lastWriteBy(obj: KubeObject, manager: RegExp): string | undefined {
  const times = (obj.metadata?.managedFields ?? [])
    .filter((f: any) => manager.test(String(f?.manager ?? '')))
    .map((f: any) => f.time as string | undefined)
    .filter((t: string | undefined): t is string => !!t)
    .sort();
  return times[times.length - 1];
}

function latest(times: Array<string | undefined>): string | undefined {
  const sorted = times.filter((t): t is string => !!t).sort();
  return sorted[sorted.length - 1];
}

function nodeStep(
  stage: DeliveryStep['stage'],
  title: string,
  nodes: GraphNode[],
): DeliveryStep {
  const failing = nodes.find(n => n.missing || isFailing(n));
  if (failing) {
    const c =
      failing.synced?.state === 'False' ? failing.synced : failing.ready;
    return {
      stage,
      title,
      state: failing.missing ? 'pending' : 'failed',
      at: failing.readySince ?? failing.createdAt,
      message: failing.missing
        ? `${failing.kind} ${failing.name} does not exist yet`
        : `${failing.kind} ${failing.name}: ${
            c?.message ?? c?.reason ?? 'not Ready'
          }`,
    };
  }
  const ready = nodes.every(n => n.ready?.state === 'True');
  return {
    stage,
    title,
    state: ready ? 'done' : 'pending',
    at: ready
      ? latest(nodes.map(n => n.readySince))
      : latest(nodes.map(n => n.createdAt)),
    message: ready
      ? undefined
      : nodes
          .filter(n => n.ready?.state !== 'True')
          .map(
            n => `${n.kind} ${n.name}: ${n.ready?.reason ?? 'not Ready yet'}`,
          )
          .slice(0, 3)
          .join('; '),
  };
}

function argoStep(app: ArgoApplicationStatus): DeliveryStep {
  const failed =
    app.operationPhase === 'Failed' ||
    app.operationPhase === 'Error' ||
    !!app.credentialProblem;
  const synced = app.syncStatus === 'Synced';
  let state: DeliveryStep['state'] = synced ? 'done' : 'pending';
  let message = synced
    ? undefined
    : `Argo CD reports ${app.syncStatus ?? 'no sync status'}`;
  if (failed) {
    state = 'failed';
    message = app.operationMessage;
  }
  return {
    stage: 'revision',
    title: `Revision ${app.syncRevision?.slice(0, 12) ?? 'unknown'} of ${
      app.repoURL ?? 'the repository'
    }${app.path ? ` (${app.path})` : ''}`,
    state,
    at: app.operationFinishedAt,
    message: app.credentialProblem ?? message,
  };
}

function fluxStep(k: FluxKustomizationStatus): DeliveryStep {
  const sourceFailing = k.source?.ready.state === 'False';
  const failed = k.ready.state === 'False' || sourceFailing;
  let state: DeliveryStep['state'] =
    k.ready.state === 'True' ? 'done' : 'pending';
  let message: string | undefined;
  if (failed) {
    state = 'failed';
    message = sourceFailing
      ? `Source: ${k.source?.ready.message ?? k.source?.ready.reason}`
      : k.ready.message;
  }
  return {
    stage: 'revision',
    title: `Revision ${k.lastAppliedRevision ?? 'unknown'} of ${
      k.source?.url ?? `${k.sourceRef?.kind} ${k.sourceRef?.name}`
    }${k.path ? ` (${k.path})` : ''}`,
    state,
    at: k.readySince,
    message: k.credentialProblem ?? message,
  };
}

/**
 * A claim's delivery: which GitOps object applied it (from the engine's marks on the claim), that
 * object's state, and a timeline from the applied revision through the claim and its composite to
 * Ready managed resources, so a user sees where a change is stuck.
 * @public
 */
export class DeliveryService {
  constructor(
    private readonly gitops: GitOpsService,
    private readonly graphs: ResourceGraphBuilder,
  ) {}

  async build(cp: ControlPlane, ref: ObjectRef): Promise<ClaimDelivery> {
    const type = await cp.client.resolve(ref.apiVersion, ref.kind);
    const [claim, graph] = await Promise.all([
      cp.client.get(type, ref.name, ref.namespace),
      this.graphs.build(cp.client, ref),
    ]);
    const origin = gitOpsOriginOf(claim.metadata ?? {});
    const errors: ClusterError[] = [];
    const steps: DeliveryStep[] = [];
    let application: ArgoApplicationStatus | undefined;
    let kustomization: FluxKustomizationStatus | undefined;

    if (origin) {
      try {
        const status = await this.gitops.get(cp);
        errors.push(...status.errors);
        application =
          origin.engine === 'argocd'
            ? status.argocd.find(
                a =>
                  a.name === origin.name &&
                  (!origin.namespace || a.namespace === origin.namespace),
              )
            : undefined;
        kustomization =
          origin.engine === 'flux'
            ? status.flux.find(
                k =>
                  k.name === origin.name &&
                  (!origin.namespace || k.namespace === origin.namespace),
              )
            : undefined;
      } catch (e) {
        errors.push(toClusterError(`control-plane/${cp.id}`, e));
      }
      if (application) steps.push(argoStep(application));
      else if (kustomization) steps.push(fluxStep(kustomization));
      else {
        steps.push({
          stage: 'revision',
          title: `${engineName(origin)}`,
          state: 'pending',
          message: `${engineName(
            origin,
          )} applied this claim but is not found among the configured GitOps instances that deploy into this control plane`,
        });
      }
      steps.push({
        stage: 'applied',
        title: `Applied by ${engineName(origin)}`,
        state: 'done',
        at: lastWriteBy(claim, ENGINE_MANAGERS[origin.engine]),
      });
    }
    steps.push(...this.#crossplaneSteps(graph, claim));
    return {
      ...(origin ? { origin } : {}),
      ...(application ? { application } : {}),
      ...(kustomization ? { kustomization } : {}),
      steps,
      errors,
    };
  }

  #crossplaneSteps(graph: ResourceGraph, claim: KubeObject): DeliveryStep[] {
    const root = graph.nodes.find(n => n.id === graph.rootId);
    const steps: DeliveryStep[] = [];
    const synced = conditionsOf(claim).find(c => c.type === 'Synced');
    steps.push({
      stage: 'claim',
      title: `Claim ${claim.metadata?.namespace}/${claim.metadata?.name} created`,
      state: synced?.status === 'False' ? 'failed' : 'done',
      at: claim.metadata?.creationTimestamp,
      message:
        synced?.status === 'False'
          ? synced.message ?? synced.reason
          : undefined,
    });
    const children = (id: string) =>
      graph.edges.filter(e => e.from === id).map(e => e.to);
    const byId = new Map(graph.nodes.map(n => [n.id, n]));
    const composites = root
      ? children(root.id)
          .map(id => byId.get(id))
          .filter((n): n is GraphNode => !!n && n.role === 'composite')
      : [];
    if (!composites.length) {
      steps.push({
        stage: 'composite',
        title: 'Composite resource',
        state: 'pending',
        message:
          'Crossplane has not bound a composite resource to this claim yet',
      });
      return steps;
    }
    steps.push(
      nodeStep(
        'composite',
        `Composite ${composites.map(c => c.name).join(', ')}`,
        composites,
      ),
    );
    const managed = graph.nodes.filter(n => n.role === 'managed');
    steps.push(
      managed.length
        ? nodeStep(
            'resources',
            `${managed.filter(n => n.ready?.state === 'True').length} of ${
              managed.length
            } managed resources Ready`,
            managed,
          )
        : {
            stage: 'resources',
            title: 'Managed resources',
            state: 'pending',
            message: 'No managed resource has been composed yet',
          },
    );
    return steps;
  }
}
