import type { GitOpsOrigin } from './types';

/** Annotation Argo CD writes on what it applies (annotation tracking). @public */
export const ARGO_TRACKING_ANNOTATION = 'argocd.argoproj.io/tracking-id';
/** Label Argo CD writes on what it applies (label tracking, the pre-2.2 default). @public */
export const ARGO_INSTANCE_LABEL = 'app.kubernetes.io/instance';
/** Labels Flux's kustomize-controller writes on what it applies. @public */
export const FLUX_NAME_LABEL = 'kustomize.toolkit.fluxcd.io/name';
/** @public */
export const FLUX_NAMESPACE_LABEL = 'kustomize.toolkit.fluxcd.io/namespace';

/**
 * Which GitOps object applied an object, read from the marks the engines leave on it: Argo CD's
 * tracking id (`<app>:<group>/<kind>:<namespace>/<name>`, the app as `<namespace>_<app>` when it lives
 * outside the controller's namespace) or Flux's kustomize labels. Undefined for objects no engine applied.
 * @public
 */
export function gitOpsOriginOf(meta: {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}): GitOpsOrigin | undefined {
  const labels = meta.labels ?? {};
  const fluxName = labels[FLUX_NAME_LABEL];
  if (fluxName) {
    return {
      engine: 'flux',
      name: fluxName,
      namespace: labels[FLUX_NAMESPACE_LABEL],
    };
  }
  const tracking = meta.annotations?.[ARGO_TRACKING_ANNOTATION];
  if (tracking) {
    const app = tracking.split(':')[0];
    if (app) {
      const i = app.indexOf('_');
      return i > 0
        ? {
            engine: 'argocd',
            name: app.slice(i + 1),
            namespace: app.slice(0, i),
          }
        : { engine: 'argocd', name: app };
    }
  }
  return undefined;
}

/**
 * The engine's words for a credential the control plane refused (401/403 and their messages), so a
 * GitOps view can say "the credential is failing" rather than repeat a generic sync error.
 * @public
 */
export function isCredentialFailure(message: string | undefined): boolean {
  if (!message) return false;
  return /\b(401|403)\b|unauthorized|forbidden|provide credentials|invalid bearer token|token has expired|authentication required/i.test(
    message,
  );
}
