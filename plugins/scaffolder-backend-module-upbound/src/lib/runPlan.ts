import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { KubeObject } from '@upbound-backstage/plugin-upbound-node';
import { writeManifests } from './manifests';
import {
  applyObjects,
  objectsToApply,
  prepareObjects,
  type PlannedObject,
} from './ObjectPlan';

/**
 * Carries out an action's plan: preflight of everything it will write, then in manifest mode the
 * manifests file (output `manifestPath`), then the objects that go to clusters directly.
 */
export async function runPlan(
  ctx: ActionContext<any, any>,
  plan: {
    mode: 'apply' | 'manifest';
    applySecrets: boolean | undefined;
    /** Objects written to clusters even in manifest mode (credentials, shared settings). */
    live: PlannedObject[];
    /** Objects that go into the manifests file in manifest mode. */
    manifests: PlannedObject[];
    targetPath: string;
    /** What the file holds, for the log line `Wrote <what> to <path>`. */
    what: string;
    /** Warning when `applySecrets: false` leaves the live objects to the user. */
    liveObjectsHint?: string;
    checkpointPrefix: string;
  },
): Promise<void> {
  const prepared = await prepareObjects(
    objectsToApply(plan.mode, plan.applySecrets, plan.live, plan.manifests),
  );
  if (plan.mode === 'manifest') {
    const manifestPath = await writeManifests(
      ctx.workspacePath,
      plan.targetPath,
      plan.manifests.map((o): KubeObject => o.object),
    );
    ctx.logger.info(`Wrote ${plan.what} to ${manifestPath}`);
    ctx.output('manifestPath', manifestPath);
    if (plan.applySecrets === false && plan.liveObjectsHint) {
      ctx.logger.warn(plan.liveObjectsHint);
    }
  }
  await applyObjects(ctx, prepared, {
    checkpointPrefix: plan.checkpointPrefix,
  });
}
