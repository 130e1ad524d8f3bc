import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  CROSSPLANE_PAUSED_ANNOTATION,
  RECONCILE_REQUESTED_ANNOTATION,
} from '@upbound-backstage/plugin-upbound-common';
import type {
  KubeClient,
  UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import type { ObjectRef } from './graphModel';
import { assertNotSecret } from './ObjectService';

const FIELD_MANAGER = 'backstage-upbound';

/**
 * Day-2 operations: pause/resume and reconcile by annotation (JSON merge patch), and an Argo CD
 * sync through the instance's REST API.
 * @public
 */
export class Day2Service {
  constructor(private readonly upbound: UpboundService) {}

  async setPaused(
    client: KubeClient,
    ref: ObjectRef,
    paused: boolean,
  ): Promise<{ paused: boolean }> {
    assertNotSecret(ref);
    const type = await client.resolve(ref.apiVersion, ref.kind);
    // Crossplane pauses on "true"; removing the annotation resumes.
    await client.mergePatch(
      type,
      ref.name,
      type.namespaced ? ref.namespace : undefined,
      {
        metadata: {
          annotations: {
            [CROSSPLANE_PAUSED_ANNOTATION]: paused ? 'true' : null,
          },
        },
      },
      { fieldManager: FIELD_MANAGER },
    );
    return { paused };
  }

  async requestReconcile(
    client: KubeClient,
    ref: ObjectRef,
  ): Promise<{ requestedAt: string }> {
    assertNotSecret(ref);
    const type = await client.resolve(ref.apiVersion, ref.kind);
    const requestedAt = new Date().toISOString();
    // Any metadata change enqueues the object with its controller.
    await client.mergePatch(
      type,
      ref.name,
      type.namespaced ? ref.namespace : undefined,
      {
        metadata: {
          annotations: { [RECONCILE_REQUESTED_ANNOTATION]: requestedAt },
        },
      },
      { fieldManager: FIELD_MANAGER },
    );
    return { requestedAt };
  }

  async syncArgoApplication(
    instanceName: string,
    namespace: string,
    name: string,
  ): Promise<{ phase?: string }> {
    const instance = this.upbound
      .argoCdInstances()
      .find(i => i.name === instanceName);
    if (!instance)
      throw new NotFoundError(
        `Argo CD instance ${instanceName} is not configured`,
      );
    if (!instance.url || typeof instance.request !== 'function') {
      throw new ConflictError(
        `Argo CD instance ${instanceName} has no REST API URL configured (upbound.argocd[].url); syncs cannot be triggered`,
      );
    }
    const app = (await instance.request(
      'POST',
      `/api/v1/applications/${encodeURIComponent(name)}/sync`,
      { name, appNamespace: namespace },
    )) as any;
    const phase: string | undefined =
      app?.status?.operationState?.phase ??
      (app?.operation ? 'Running' : undefined);
    return phase ? { phase } : {};
  }
}
