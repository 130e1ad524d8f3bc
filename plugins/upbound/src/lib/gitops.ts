import {
  CROSSPLANE_PAUSED_ANNOTATION,
  type ArgoApplicationStatus,
  type FluxKustomizationStatus,
  type GitOpsOrigin,
} from '@upbound-backstage/plugin-upbound-common';

/** The day-2 operations of a claim. */
export type Day2Operation = 'pause' | 'resume' | 'reconcile';

/** The engine's product name. */
export function engineTitle(engine: GitOpsOrigin['engine']): string {
  return engine === 'argocd' ? 'Argo CD' : 'Flux';
}

/** `namespace/name` when the mark names a namespace, else `name`. */
export function originObjectName(origin: GitOpsOrigin): string {
  return origin.namespace ? `${origin.namespace}/${origin.name}` : origin.name;
}

/** Short label for tables: "Argo CD · payments-claims", "Flux · flux-system/prod-claims". */
export function originLabel(origin: GitOpsOrigin): string {
  return `${engineTitle(origin.engine)} · ${originObjectName(origin)}`;
}

/** The GitOps object in words: "Argo CD Application payments-claims". */
export function originObjectTitle(origin: GitOpsOrigin): string {
  const kind = origin.engine === 'argocd' ? 'Application' : 'Kustomization';
  return `${engineTitle(origin.engine)} ${kind} ${originObjectName(origin)}`;
}

/**
 * A Git revision shortened for display: a bare SHA to 7 characters, Flux's `main@sha1:<sha>` to
 * `main@sha1:<7>`. Anything else (a tag, a branch) is returned as is.
 */
export function shortRevision(
  revision: string | undefined,
): string | undefined {
  if (!revision) return undefined;
  const m = /^(.*?)([0-9a-f]{40}|[0-9a-f]{64})$/.exec(revision);
  return m ? `${m[1]}${m[2].slice(0, 7)}` : revision;
}

/**
 * Why a synced GitOps object that manages nothing is suspicious: Argo CD reports an Application
 * Synced when its path holds no manifests (a wrong path, or claims in sub-folders without
 * `directory.recurse`). Undefined when the object manages something or its count is unknown.
 */
export function emptySyncWarning(
  app: Pick<ArgoApplicationStatus, 'syncStatus' | 'resourceCount' | 'path'>,
): string | undefined {
  if (app.syncStatus !== 'Synced' || app.resourceCount !== 0) return undefined;
  return `Synced, but no objects found at ${
    app.path || 'the repository root'
  }; check the path, or enable recurse for sub-folders`;
}

/** The same for a Flux Kustomization: Ready with an empty inventory means a path without manifests. */
export function emptyKustomizationWarning(
  k: Pick<FluxKustomizationStatus, 'ready' | 'resourceCount' | 'path'>,
): string | undefined {
  if (k.ready.state !== 'True' || k.resourceCount !== 0) return undefined;
  return `Ready, but no objects found at ${
    k.path || 'the source root'
  }; check the path`;
}

/**
 * What a day-2 operation means on a claim that a GitOps engine applies: Git stays the source of
 * truth for the fields it sets, and the engine does not own the pause annotation.
 */
export function gitOpsWarning(origin: GitOpsOrigin, op: Day2Operation): string {
  const revert =
    origin.engine === 'argocd'
      ? 'on the next sync (automatically when the Application has self-heal on)'
      : 'on the next reconcile of the Kustomization (every interval)';
  const managed = `This claim is managed by ${originObjectTitle(
    origin,
  )}. Fields set in Git are reverted ${revert}, so lasting changes belong in Git.`;
  const what: Record<Day2Operation, string> = {
    pause: `Pausing adds the ${CROSSPLANE_PAUSED_ANNOTATION} annotation, which Git does not set, so syncs leave it in place: the claim stays paused until it is resumed here.`,
    resume: `Resuming removes the ${CROSSPLANE_PAUSED_ANNOTATION} annotation; if Git sets it, the next sync pauses the claim again.`,
    reconcile:
      'Reconcile makes Crossplane act on the claim as it is in the control plane now; it does not fetch a new commit from Git.',
  };
  return `${managed} ${what[op]}`;
}
