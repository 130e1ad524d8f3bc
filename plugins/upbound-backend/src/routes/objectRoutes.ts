import {
  upboundClaimReadPermission,
  upboundControlPlaneReadPermission,
} from '@upbound-backstage/plugin-upbound-common';
import type Router from 'express-promise-router';
import type { Request } from 'express';
import { assertNotSecret } from '../service/ObjectService';
import type { ObjectRef } from '../service/graphModel';
import { objectRefSchema, parse, type RouteContext } from './RouteContext';

/**
 * One object of a control plane by coordinates: YAML, resource graph and events. Each is
 * authorized with `upbound.claim.read` on the claim or XR the object belongs to, exactly like the
 * entity routes, so an owner-only grant cannot be bypassed through these URLs.
 */
export function objectRoutes(
  router: ReturnType<typeof Router>,
  ctx: RouteContext,
) {
  async function authorizedObject(req: Request<{ id: string }>) {
    const credentials = await ctx.authorize(
      req,
      upboundControlPlaneReadPermission,
    );
    const ref: ObjectRef = parse(objectRefSchema, req.query, 'query');
    assertNotSecret(ref);
    const cp = await ctx.upbound.controlPlane(req.params.id);
    await ctx.objectAuthorizer.authorizeObject({
      credentials,
      permission: upboundClaimReadPermission,
      cp,
      ref,
    });
    return { cp, ref };
  }

  router.get('/controlplanes/:id/object', async (req, res) => {
    const { cp, ref } = await authorizedObject(req);
    res.json(await ctx.objects.get(cp.client, ref));
  });

  router.get('/controlplanes/:id/graph', async (req, res) => {
    const { cp, ref } = await authorizedObject(req);
    res.json(await ctx.graphs.build(cp.client, ref));
  });

  router.get('/controlplanes/:id/events', async (req, res) => {
    const { cp, ref } = await authorizedObject(req);
    res.json({ items: await ctx.events.list(cp.client, ref) });
  });
}
