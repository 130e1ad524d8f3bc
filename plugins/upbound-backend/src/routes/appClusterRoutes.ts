import {
  upboundControlPlaneReadPermission,
  type AppClusterSummary,
} from '@upbound-backstage/plugin-upbound-common';
import type Router from 'express-promise-router';
import type { RouteContext } from './RouteContext';

/** Configured app clusters (names only; never a URL, token or kubeconfig). */
export function appClusterRoutes(
  router: ReturnType<typeof Router>,
  ctx: RouteContext,
) {
  router.get('/app-clusters', async (req, res) => {
    await ctx.authorize(req, upboundControlPlaneReadPermission);
    const items: AppClusterSummary[] = ctx.upbound.appClusters().map(c => ({
      name: c.name,
      ...(c.title ? { title: c.title } : {}),
      ...(c.clusterId ? { clusterId: c.clusterId } : {}),
      source: c.source,
    }));
    res.json({ items });
  });
}
