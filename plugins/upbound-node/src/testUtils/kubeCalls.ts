import type { KubeErrorType } from '@upbound-backstage/plugin-upbound-common';
import type { KubeError, KubeObject, ListOptions } from '../types';

/**
 * One call made through an {@link InMemoryKubeClient}, in the order made, failed ones included.
 * @public
 */
export interface KubeCall {
  /** The {@link KubeClient} method called. */
  method:
    | 'resolve'
    | 'resourceTypes'
    | 'list'
    | 'listPage'
    | 'get'
    | 'tryGet'
    | 'apply'
    | 'mergePatch'
    | 'delete'
    | 'watch';
  /**
   * The request verb, as {@link KubeClient.stats} counts it: `discovery` for resolve and
   * resourceTypes, `list` for list and listPage, `get` for get and tryGet, `patch` for mergePatch.
   */
  verb: 'discovery' | 'list' | 'get' | 'apply' | 'patch' | 'delete' | 'watch';
  apiVersion?: string;
  kind?: string;
  /** The resource (plural) of calls made on a resource type. */
  plural?: string;
  namespace?: string;
  name?: string;
  /** List and watch options. */
  options?: ListOptions & { limit?: number; continue?: string };
  /** The object of an apply. */
  object?: KubeObject;
  /** The patch of a mergePatch. */
  patch?: object;
  fieldManager?: string;
  dryRun?: boolean;
}

/** A write that passed validation: stored, or previewed when `dryRun`. @public */
export interface KubeWrite {
  verb: 'apply' | 'patch' | 'delete';
  apiVersion: string;
  kind: string;
  plural: string;
  namespace?: string;
  name: string;
  fieldManager?: string;
  dryRun?: boolean;
}

/**
 * Decides whether a call fails: returns the error to throw (or its type), `'hang'` for a call
 * that never answers (to test timeouts), or undefined to let the call through.
 * @public
 */
export type KubeFailureHook = (
  call: KubeCall,
) => KubeError | Error | KubeErrorType | 'hang' | undefined;
