import { ForwardedError, InputError, isError } from '@backstage/errors';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import {
  KubeError,
  type KubeClient,
  type KubeObject,
  type ResourceType,
} from '@upbound-backstage/plugin-upbound-node';
import { UPBOUND_FIELD_MANAGER } from './constants';
import { describeObject, hasOurFieldManager, isManagedByUs } from './ownership';

/**
 * How an action may touch one object:
 * - `exclusive`: ours alone; refused when it exists and was made by someone else;
 * - `shared`: someone else's object to which we add only our own fields (e.g. a key of argocd-cm);
 * - `createIfMissing`: created when absent, never changed when present (e.g. a namespace).
 */
export type Ownership = 'exclusive' | 'shared' | 'createIfMissing';

/** One object an action wants to exist. */
export interface PlannedObject {
  client: KubeClient;
  /** Where the object lives, for messages: `control plane <id>` or `app cluster <name>`. */
  where: string;
  object: KubeObject;
  ownership: Ownership;
}

/** A planned object after the read-only preflight. */
export interface PreparedObject extends PlannedObject {
  type: ResourceType;
  existing?: KubeObject;
}

/** What a run did, in order. */
export interface PlanResult {
  created: string[];
  updated: string[];
  unchanged: string[];
}

function label(step: PlannedObject): string {
  return `${describeObject(step.object)} in ${step.where}`;
}

function isMissingApi(e: unknown): boolean {
  return (
    e instanceof KubeError && (e.type === 'crd-missing' || e.type === 'not-found')
  );
}

/** Resolves a type from discovery; an API the cluster does not serve becomes InputError. */
export async function resolveServedType(
  client: KubeClient,
  apiVersion: string,
  kind: string,
  where: string,
): Promise<ResourceType> {
  try {
    return await client.resolve(apiVersion, kind);
  } catch (e) {
    if (isMissingApi(e)) {
      throw new InputError(
        `${kind} (${apiVersion}) is not served by ${where}; install the API that provides it first`,
      );
    }
    throw e;
  }
}

/**
 * What a run writes to clusters: everything in apply mode; in manifest mode only the live objects
 * (credentials, shared settings) unless `applySecrets` is false.
 */
export function objectsToApply(
  mode: 'apply' | 'manifest',
  applySecrets: boolean | undefined,
  live: PlannedObject[],
  manifests: PlannedObject[],
): PlannedObject[] {
  if (mode === 'apply') return [...live, ...manifests];
  return applySecrets === false ? [] : live;
}

/**
 * Read-only preflight: resolves every type from discovery, reads what exists and refuses objects
 * that exist but are not ours. Nothing is written, so bad input fails before any write.
 */
export async function prepareObjects(
  steps: PlannedObject[],
): Promise<PreparedObject[]> {
  const prepared: PreparedObject[] = [];
  for (const step of steps) {
    const { apiVersion = '', kind = '', metadata } = step.object;
    const type = await resolveServedType(step.client, apiVersion, kind, step.where);
    const existing = await step.client.tryGet(
      type,
      metadata!.name!,
      type.namespaced ? metadata?.namespace : undefined,
    );
    if (existing && step.ownership === 'exclusive' && !isManagedByUs(existing)) {
      throw new InputError(
        `${label(step)} already exists and was not created by Backstage; choose another name or remove it first`,
      );
    }
    prepared.push({ ...step, type, existing });
  }
  return prepared;
}

function checkpointKey(prefix: string, step: PreparedObject): string {
  const { apiVersion, kind, metadata } = step.object;
  return [
    prefix,
    step.client.clusterId,
    apiVersion,
    kind,
    metadata?.namespace ?? '',
    metadata?.name,
  ]
    .join('.')
    .replace(/[^A-Za-z0-9._-]/g, '_');
}

/** The object with only its identity: applying it drops every field our manager owned. */
function identityOnly(obj: KubeObject): KubeObject {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    metadata: {
      name: obj.metadata?.name,
      ...(obj.metadata?.namespace ? { namespace: obj.metadata.namespace } : {}),
    },
  };
}

/**
 * Applies prepared objects in order with server-side apply, each inside `ctx.checkpoint`. When a
 * step fails, what this run created is deleted again (and fields added to shared objects removed),
 * and the error says exactly what was created, rolled back and left in place.
 * In dry-run it only logs what would be done.
 */
export async function applyObjects(
  ctx: Pick<ActionContext<any, any>, 'checkpoint' | 'logger' | 'isDryRun'>,
  prepared: PreparedObject[],
  options: { checkpointPrefix: string },
): Promise<PlanResult> {
  const result: PlanResult = { created: [], updated: [], unchanged: [] };
  if (ctx.isDryRun) {
    for (const step of prepared) {
      if (step.existing && step.ownership === 'createIfMissing') {
        ctx.logger.info(`Dry run: ${label(step)} exists and is left as it is`);
      } else {
        ctx.logger.info(
          `Dry run: would ${step.existing ? 'update' : 'create'} ${label(step)}`,
        );
      }
    }
    return result;
  }

  const done: Array<{ step: PreparedObject; created: boolean }> = [];
  for (const step of prepared) {
    if (step.existing && step.ownership === 'createIfMissing') {
      result.unchanged.push(label(step));
      continue;
    }
    try {
      const outcome = await ctx.checkpoint({
        key: checkpointKey(options.checkpointPrefix, step),
        fn: async () => {
          const applied = await step.client.apply(step.object, {
            fieldManager: UPBOUND_FIELD_MANAGER,
            // Shared objects: take over only the fields we set when another manager disagrees.
            force: step.ownership !== 'exclusive',
          });
          const before = step.existing?.metadata?.resourceVersion;
          const after = applied?.metadata?.resourceVersion;
          return {
            created: !step.existing,
            changed: !step.existing || before !== after,
          };
        },
      });
      done.push({ step, created: outcome.created });
      let verb = 'Unchanged';
      if (outcome.created) {
        verb = 'Created';
        result.created.push(label(step));
      } else if (outcome.changed) {
        verb = 'Updated';
        result.updated.push(label(step));
      } else {
        result.unchanged.push(label(step));
      }
      ctx.logger.info(`${verb}: ${label(step)}`);
    } catch (e) {
      const rolledBack: string[] = [];
      const rollbackFailed: string[] = [];
      for (const { step: prev, created } of [...done].reverse()) {
        try {
          if (created) {
            await prev.client.delete(
              prev.type,
              prev.object.metadata!.name!,
              prev.type.namespaced ? prev.object.metadata?.namespace : undefined,
            );
            rolledBack.push(`deleted ${label(prev)}`);
          } else if (
            prev.ownership === 'shared' &&
            !hasOurFieldManager(prev.existing)
          ) {
            await prev.client.apply(identityOnly(prev.object), {
              fieldManager: UPBOUND_FIELD_MANAGER,
            });
            rolledBack.push(`removed our fields from ${label(prev)}`);
          }
        } catch (rollbackError) {
          rollbackFailed.push(
            `${label(prev)} (${isError(rollbackError) ? rollbackError.message : String(rollbackError)})`,
          );
        }
      }
      const parts = [`Failed to apply ${label(step)}`];
      parts.push(
        result.created.length
          ? `created by this run: ${result.created.join(', ')}`
          : 'nothing had been created by this run',
      );
      if (rolledBack.length) parts.push(`rolled back: ${rolledBack.join(', ')}`);
      if (rollbackFailed.length) {
        parts.push(`could not roll back (remove by hand): ${rollbackFailed.join(', ')}`);
      }
      const kept = [...result.updated, ...result.unchanged];
      if (kept.length) parts.push(`existed before and were kept: ${kept.join(', ')}`);
      throw new ForwardedError(parts.join('; '), e);
    }
  }
  return result;
}
