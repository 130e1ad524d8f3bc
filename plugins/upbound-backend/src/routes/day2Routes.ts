import {
  upboundClaimUpdatePermission,
  upboundControlPlaneReadPermission,
  upboundGitOpsSyncPermission,
} from '@upbound-backstage/plugin-upbound-common';
import type Router from 'express-promise-router';
import { z } from 'zod';
import { objectRefSchema, parse, type RouteContext } from './RouteContext';

const pauseBody = objectRefSchema.extend({ paused: z.boolean() });

/** Day-2 operations by coordinates, and Argo CD syncs. */
export function day2Routes(
  router: ReturnType<typeof Router>,
  ctx: RouteContext,
) {
  router.post('/controlplanes/:id/pause', async (req, res) => {
    await ctx.authorize(req, upboundControlPlaneReadPermission);
    await ctx.authorize(req, upboundClaimUpdatePermission);
    const { paused, ...ref } = parse(pauseBody, req.body, 'body');
    const cp = await ctx.upbound.controlPlane(req.params.id);
    const result = await ctx.audited(
      req,
      paused ? 'claim-pause' : 'claim-resume',
      { controlPlane: cp.id, ...refMeta(ref) },
      () => ctx.day2.setPaused(cp.client, ref, paused),
    );
    res.json(result);
  });

  router.post('/controlplanes/:id/reconcile', async (req, res) => {
    await ctx.authorize(req, upboundControlPlaneReadPermission);
    await ctx.authorize(req, upboundClaimUpdatePermission);
    const ref = parse(objectRefSchema, req.body, 'body');
    const cp = await ctx.upbound.controlPlane(req.params.id);
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
      await ctx.authorize(req, upboundGitOpsSyncPermission);
      const { instance, namespace, name } = req.params;
      const result = await ctx.audited(
        req,
        'argocd-sync',
        { instance, namespace, name },
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
