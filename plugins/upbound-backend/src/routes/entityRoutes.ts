import { NotFoundError } from '@backstage/errors';
import {
  upboundClaimReadPermission,
  upboundClaimUpdatePermission,
} from '@upbound-backstage/plugin-upbound-common';
import type Router from 'express-promise-router';
import type { Request } from 'express';
import { z } from 'zod';
import { graphNodeId, type ObjectRef } from '../service/graphModel';
import { toControlPlaneSummary } from '../service/ControlPlaneService';
import { assertNotSecret } from '../service/ObjectService';
import type { EntityTarget } from '../service/EntityTargetResolver';
import {
  apiVersionSchema,
  kindSchema,
  namespaceSchema,
  objectNameSchema,
  parse,
  type RouteContext,
} from './RouteContext';
import { refMeta } from './day2Routes';

const nodeQuery = z.object({
  nodeApiVersion: apiVersionSchema.optional(),
  nodeKind: kindSchema.optional(),
  nodeNamespace: namespaceSchema.optional(),
  nodeName: objectNameSchema.optional(),
});
const pauseBody = z.object({ paused: z.boolean() });

type EntityParams = { kind: string; namespace: string; name: string };

/**
 * Routes by catalog entity: the entity is read on behalf of the caller, and the claim permissions
 * are authorized as resource permissions on it before any cluster call. Only entities of the
 * Upbound provider, or entities their object names back, are acted on.
 */
export function entityRoutes(
  router: ReturnType<typeof Router>,
  ctx: RouteContext,
) {
  const base = '/entities/:kind/:namespace/:name';

  async function resolve(
    req: Request<EntityParams, any, any, any>,
    permission: typeof upboundClaimReadPermission,
  ): Promise<EntityTarget> {
    const credentials = await ctx.credentials(req);
    const target = await ctx.entities.resolve(req.params, credentials);
    await ctx.authorize(req, permission, target.entityRef);
    // Annotations of entities from other sources are trusted only when the object agrees.
    await ctx.entities.assertLegitimate(target);
    return target;
  }

  /**
   * The entity's object, or one node of its graph. A node must belong to the entity's graph, so a
   * grant on one entity never reaches other objects of the control plane.
   */
  async function nodeOf(
    req: Request<EntityParams>,
    t: EntityTarget,
  ): Promise<ObjectRef> {
    const q = parse(nodeQuery, req.query, 'query');
    const root: ObjectRef = t.target;
    if (!q.nodeApiVersion && !q.nodeKind && !q.nodeName) return root;
    if (!q.nodeApiVersion || !q.nodeKind || !q.nodeName) {
      throw new NotFoundError(
        'nodeApiVersion, nodeKind and nodeName are all required for a node',
      );
    }
    const node: ObjectRef = {
      apiVersion: q.nodeApiVersion,
      kind: q.nodeKind,
      name: q.nodeName,
      ...(q.nodeNamespace ? { namespace: q.nodeNamespace } : {}),
    };
    assertNotSecret(node);
    const cp = await ctx.upbound.controlPlane(t.target.controlPlaneId);
    const graph = await ctx.graphs.build(cp.client, root);
    const id = graphNodeId(node);
    const found = graph.nodes.find(n => n.id === id && !n.missing);
    if (!found) {
      throw new NotFoundError(
        `${node.kind} ${node.name} is not part of ${t.entityRef}'s resource graph`,
      );
    }
    return node;
  }

  router.get(`${base}/target`, async (req, res) => {
    const t = await resolve(req, upboundClaimReadPermission);
    const cp = await ctx.upbound.controlPlane(t.target.controlPlaneId);
    res.json({ ...t.target, controlPlane: toControlPlaneSummary(cp) });
  });

  router.get(`${base}/graph`, async (req, res) => {
    const t = await resolve(req, upboundClaimReadPermission);
    const cp = await ctx.upbound.controlPlane(t.target.controlPlaneId);
    res.json(await ctx.graphs.build(cp.client, t.target));
  });

  router.get(`${base}/delivery`, async (req, res) => {
    const t = await resolve(req, upboundClaimReadPermission);
    const cp = await ctx.upbound.controlPlane(t.target.controlPlaneId);
    res.json(await ctx.delivery.build(cp, t.target));
  });

  router.get(`${base}/events`, async (req, res) => {
    const t = await resolve(req, upboundClaimReadPermission);
    const ref = await nodeOf(req, t);
    const cp = await ctx.upbound.controlPlane(t.target.controlPlaneId);
    res.json({ items: await ctx.events.list(cp.client, ref) });
  });

  router.get(`${base}/object`, async (req, res) => {
    const t = await resolve(req, upboundClaimReadPermission);
    const ref = await nodeOf(req, t);
    const cp = await ctx.upbound.controlPlane(t.target.controlPlaneId);
    res.json(await ctx.objects.get(cp.client, ref));
  });

  router.post(`${base}/pause`, async (req, res) => {
    const t = await resolve(req, upboundClaimUpdatePermission);
    const { paused } = parse(pauseBody, req.body, 'body');
    const cp = await ctx.upbound.controlPlane(t.target.controlPlaneId);
    res.json(
      await ctx.audited(
        req,
        paused ? 'claim-pause' : 'claim-resume',
        { entityRef: t.entityRef, controlPlane: cp.id, ...refMeta(t.target) },
        () => ctx.day2.setPaused(cp.client, t.target, paused),
      ),
    );
  });

  router.post(`${base}/reconcile`, async (req, res) => {
    const t = await resolve(req, upboundClaimUpdatePermission);
    const cp = await ctx.upbound.controlPlane(t.target.controlPlaneId);
    res.json(
      await ctx.audited(
        req,
        'claim-reconcile',
        { entityRef: t.entityRef, controlPlane: cp.id, ...refMeta(t.target) },
        () => ctx.day2.requestReconcile(cp.client, t.target),
      ),
    );
  });
}
