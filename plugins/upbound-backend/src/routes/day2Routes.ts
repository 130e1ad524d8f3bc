import {
  controlPlaneResourceRef,
  upboundClaimUpdatePermission,
  upboundControlPlaneReadPermission,
  upboundGitOpsSyncPermission,
} from '@upbound-backstage/plugin-upbound-common';
import {
  controlPlaneDecisionAllows,
  toControlPlaneResource,
} from '@upbound-backstage/plugin-upbound-node';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type Router from 'express-promise-router';
import { z } from 'zod';
import { assertNotSecret } from '../service/ObjectService';
import {
  namespaceSchema,
  objectNameSchema,
  objectRefSchema,
  parse,
  type RouteContext,
} from './RouteContext';

const pauseBody = objectRefSchema.extend({ paused: z.boolean() });
const syncParams = z.object({
  instance: namespaceSchema,
  namespace: namespaceSchema,
  name: objectNameSchema,
});

/** Day-2 operations by coordinates, and Argo CD syncs. */
export function day2Routes(
  router: ReturnType<typeof Router>,
  ctx: RouteContext,
) {
  router.post('/controlplanes/:id/pause', async (req, res) => {
    const credentials = await ctx.authorize(
      req,
      upboundControlPlaneReadPermission,
    );
    const { paused, ...ref } = parse(pauseBody, req.body, 'body');
    assertNotSecret(ref);
    const cp = await ctx.upbound.controlPlane(req.params.id);
    await ctx.objectAuthorizer.authorizeObject({
      credentials,
      permission: upboundClaimUpdatePermission,
      cp,
      ref,
    });
    const result = await ctx.audited(
      req,
      paused ? 'claim-pause' : 'claim-resume',
      { controlPlane: cp.id, ...refMeta(ref) },
      () => ctx.day2.setPaused(cp.client, ref, paused),
    );
    res.json(result);
  });

  router.post('/controlplanes/:id/reconcile', async (req, res) => {
    const credentials = await ctx.authorize(
      req,
      upboundControlPlaneReadPermission,
    );
    const ref = parse(objectRefSchema, req.body, 'body');
    assertNotSecret(ref);
    const cp = await ctx.upbound.controlPlane(req.params.id);
    await ctx.objectAuthorizer.authorizeObject({
      credentials,
      permission: upboundClaimUpdatePermission,
      cp,
      ref,
    });
    const result = await ctx.audited(
      req,
      'claim-reconcile',
      { controlPlane: cp.id, ...refMeta(ref) },
      () => ctx.day2.requestReconcile(cp.client, ref),
    );
    res.json(result);
  });

  router.post(
    '/argocd/:instance/applications/:namespace/:name/sync',
    async (req, res) => {
      const credentials = await ctx.credentials(req);
      const { instance, namespace, name } = parse(
        syncParams,
        req.params,
        'path',
      );
      // An unconditional denial answers before any cluster call.
      const [decision] = await ctx.permissions.authorizeConditional(
        [{ permission: upboundGitOpsSyncPermission }],
        { credentials },
      );
      if (decision.result === AuthorizeResult.DENY) {
        throw new NotAllowedError(
          `Not allowed: ${upboundGitOpsSyncPermission.name}`,
        );
      }
      // Only Applications that deploy into a control plane, and only one the caller may operate.
      const destination = await ctx.argoDestinations.resolve(
        instance,
        namespace,
        name,
      );
      const resource = toControlPlaneResource(
        destination.controlPlane,
        destination.namespace,
      );
      if (!controlPlaneDecisionAllows(decision, resource)) {
        throw new NotAllowedError(
          `Not allowed: ${
            upboundGitOpsSyncPermission.name
          } for ${controlPlaneResourceRef(resource.id, resource.namespace)}`,
        );
      }
      const result = await ctx.audited(
        req,
        'argocd-sync',
        {
          instance,
          namespace,
          name,
          controlPlane: destination.controlPlane.id,
        },
        () => ctx.day2.syncArgoApplication(instance, namespace, name),
      );
      res.json(result);
    },
  );
}

export function refMeta(ref: {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}): Record<string, string> {
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    ...(ref.namespace ? { namespace: ref.namespace } : {}),
    name: ref.name,
  };
}
