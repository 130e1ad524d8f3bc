import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { KubeObject } from '@upbound-backstage/plugin-upbound-node';
import { writeManifests, writeWorkspaceFile } from './manifests';
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
    /**
     * Manifest mode: text files written instead of the manifests file (when `manifests` is empty);
     * the first is output as `manifestPath`.
     */
    files?: Array<{ targetPath: string; text: string }>;
  },
): Promise<void> {
  const prepared = await prepareObjects(
    objectsToApply(plan.mode, plan.applySecrets, plan.live, plan.manifests),
  );
  if (plan.mode === 'manifest' && plan.files?.length && !plan.manifests.length) {
    const written: string[] = [];
    for (const file of plan.files) {
      written.push(await writeWorkspaceFile(ctx.workspacePath, file.targetPath, file.text));
    }
    ctx.logger.info(`Wrote ${plan.what} to ${written.join(', ')}`);
    ctx.output('manifestPath', written[0]);
  } else if (plan.mode === 'manifest') {
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
