import {
  upboundClaimReadPermission,
  upboundControlPlaneReadPermission,
} from '@upbound-backstage/plugin-upbound-common';
import type Router from 'express-promise-router';
import { z } from 'zod';
import type { ClusterError } from '@upbound-backstage/plugin-upbound-common';
import { toClusterError } from '@upbound-backstage/plugin-upbound-node';
import { namespaceSchema, parse, type RouteContext } from './RouteContext';

/**
 * The list routes answer a control plane that cannot be read with their promised shape, the
 * failure in `errors[]` (as the README says), so a page shows what it can and names the rest.
 * Unknown control planes and bad input still answer 404 and 400.
 */
async function orClusterErrors<T>(
  controlPlaneId: string,
  list: () => Promise<T>,
  empty: (errors: ClusterError[]) => T,
): Promise<T> {
  try {
    return await list();
  } catch (error) {
    if ((error as Error)?.name !== 'KubeError') throw error;
    return empty([toClusterError(controlPlaneId, error)]);
  }
}

const conditionState = z.enum(['True', 'False', 'Unknown']);
const claimsQuery = z.object({
  api: z.string().min(3).optional(),
  namespace: namespaceSchema.optional(),
  ready: conditionState.optional(),
  synced: conditionState.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z.string().min(1).optional(),
});

/** Control planes: list, detail, claim APIs, claims, connections and GitOps status. */
export function controlPlaneRoutes(
  router: ReturnType<typeof Router>,
  ctx: RouteContext,
) {
  router.get('/controlplanes', async (req, res) => {
    await ctx.authorize(req, upboundControlPlaneReadPermission);
    res.json(await ctx.controlPlanes.list());
  });

  router.get('/controlplanes/:id', async (req, res) => {
    await ctx.authorize(req, upboundControlPlaneReadPermission);
    res.json(await ctx.controlPlanes.detail(req.params.id));
  });

  router.get('/controlplanes/:id/claim-apis', async (req, res) => {
    await ctx.authorize(req, upboundControlPlaneReadPermission);
    const cp = await ctx.upbound.controlPlane(req.params.id);
    res.json({ items: await ctx.upbound.claimApis(cp.id) });
  });

  router.get('/controlplanes/:id/claims', async (req, res) => {
    const credentials = await ctx.authorize(
      req,
      upboundControlPlaneReadPermission,
    );
    const filter = parse(claimsQuery, req.query, 'query');
    const cp = await ctx.upbound.controlPlane(req.params.id);
    // Only the claims the caller may read, decided as on their entities.
    res.json(
      await orClusterErrors(
        cp.id,
        () =>
          ctx.claims.list(cp, filter, items =>
            ctx.objectAuthorizer.filterClaims(
              credentials,
              upboundClaimReadPermission,
              cp,
              items,
            ),
          ),
        errors => ({ items: [], totalCount: 0, errors }),
      ),
    );
  });

  router.get('/controlplanes/:id/connections', async (req, res) => {
    await ctx.authorize(req, upboundControlPlaneReadPermission);
    const cp = await ctx.upbound.controlPlane(req.params.id);
    res.json(
      await orClusterErrors(
        cp.id,
        () => ctx.connections.get(cp),
        errors => ({ connections: [], errors }),
      ),
    );
  });

  router.get('/controlplanes/:id/gitops', async (req, res) => {
    await ctx.authorize(req, upboundControlPlaneReadPermission);
    const cp = await ctx.upbound.controlPlane(req.params.id);
    res.json(
      await orClusterErrors(
        cp.id,
        () => ctx.gitops.get(cp),
        errors => ({ argocd: [], flux: [], errors }),
      ),
    );
  });
}
