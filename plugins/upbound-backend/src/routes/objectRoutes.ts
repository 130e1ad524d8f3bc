import { upboundControlPlaneReadPermission } from '@upbound-backstage/plugin-upbound-common';
import type Router from 'express-promise-router';
import { assertNotSecret } from '../service/ObjectService';
import { objectRefSchema, parse, type RouteContext } from './RouteContext';

/** One object of a control plane by coordinates: YAML, resource graph and events. */
export function objectRoutes(
  router: ReturnType<typeof Router>,
  ctx: RouteContext,
) {
  router.get('/controlplanes/:id/object', async (req, res) => {
    await ctx.authorize(req, upboundControlPlaneReadPermission);
    const ref = parse(objectRefSchema, req.query, 'query');
    assertNotSecret(ref);
    const cp = await ctx.upbound.controlPlane(req.params.id);
    res.json(await ctx.objects.get(cp.client, ref));
  });

  router.get('/controlplanes/:id/graph', async (req, res) => {
    await ctx.authorize(req, upboundControlPlaneReadPermission);
    const ref = parse(objectRefSchema, req.query, 'query');
    const cp = await ctx.upbound.controlPlane(req.params.id);
    res.json(await ctx.graphs.build(cp.client, ref));
  });

  router.get('/controlplanes/:id/events', async (req, res) => {
    await ctx.authorize(req, upboundControlPlaneReadPermission);
    const ref = parse(objectRefSchema, req.query, 'query');
    const cp = await ctx.upbound.controlPlane(req.params.id);
    res.json({ items: await ctx.events.list(cp.client, ref) });
  });
}
