import type { ClusterError } from '@upbound-backstage/plugin-upbound-common';
import { toClusterError } from '../kube/toClusterError';
import type { ControlPlane } from '../types';

/** What one discovery job (or a source's listing) last delivered. */
export interface SourceState {
  controlPlanes: ControlPlane[];
  error?: ClusterError;
}

/**
 * The control planes and errors of several sources as one inventory: the first source to deliver
 * a control plane id wins, control planes are sorted by id, and each failed source is one error.
 */
export function mergeSources(states: Iterable<SourceState>): {
  controlPlanes: ControlPlane[];
  errors: ClusterError[];
} {
  const controlPlanes: ControlPlane[] = [];
  const errors: ClusterError[] = [];
  const seen = new Set<string>();
  for (const state of states) {
    for (const cp of state.controlPlanes) {
      if (seen.has(cp.id)) continue;
      seen.add(cp.id);
      controlPlanes.push(cp);
    }
    if (state.error) errors.push(state.error);
  }
  controlPlanes.sort((a, b) => a.id.localeCompare(b.id));
  return { controlPlanes, errors };
}

/**
 * The last delivery of every discovery job, by job key, kept across runs: a job that fails keeps
 * its last known control planes, so one unreachable Space never empties the inventory.
 */
export class SourceStates {
  readonly #states = new Map<string, SourceState>();

  /** A job delivered its control planes. */
  succeeded(key: string, controlPlanes: ControlPlane[]): void {
    this.#states.set(key, { controlPlanes });
  }

  /** A job failed: it keeps its last known control planes. Returns the error, reported under the job's key. */
  failed(key: string, e: unknown): ClusterError {
    const error = sourceError(key, e);
    this.#states.set(key, {
      controlPlanes: this.#states.get(key)?.controlPlanes ?? [],
      error,
    });
    return error;
  }

  /** A source listed its jobs. */
  listed(source: string): void {
    this.#states.delete(source);
  }

  /** A source could not list its jobs: each keeps its last known control planes. Returns the error. */
  listingFailed(source: string, e: unknown): ClusterError {
    const error = sourceError(source, e);
    this.#states.set(source, { controlPlanes: [], error });
    return error;
  }

  /**
   * Drops jobs that no longer exist (a Space removed from the organization), unless their source
   * could not be listed.
   */
  prune(liveKeys: Set<string>, sources: string[]): void {
    const unlisted = sources.filter(s => this.#states.get(s)?.error);
    for (const key of [...this.#states.keys()]) {
      if (
        sources.includes(key) ||
        liveKeys.has(key) ||
        unlisted.some(s => key.startsWith(`${s}/`))
      )
        continue;
      this.#states.delete(key);
    }
  }

  /** The inventory of every job's last delivery. */
  merged(): ReturnType<typeof mergeSources> {
    return mergeSources(this.#states.values());
  }
}

/** A discovery failure, reported under its job or source (`space/<name>`, `cloud`) whatever cluster failed. */
function sourceError(key: string, e: unknown): ClusterError {
  return { ...toClusterError(key, e), cluster: key };
}
