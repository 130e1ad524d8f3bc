import type {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { UpboundService } from '@upbound-backstage/plugin-upbound-node';
import express from 'express';
import Router from 'express-promise-router';
import { readBackendConfig } from './config';
import { appClusterRoutes } from './routes/appClusterRoutes';
import { controlPlaneRoutes } from './routes/controlPlaneRoutes';
import { day2Routes } from './routes/day2Routes';
import { entityRoutes } from './routes/entityRoutes';
import { objectRoutes } from './routes/objectRoutes';
import { createRouteContext } from './routes/RouteContext';
import { ObjectAuthorizer } from './permissions/ObjectAuthorizer';
import { ArgoDestinations } from './service/ArgoDestinations';
import { ClaimService } from './service/ClaimService';
import { ConnectionsService } from './service/ConnectionsService';
import { ControlPlaneService } from './service/ControlPlaneService';
import { Day2Service } from './service/Day2Service';
import { DeliveryService } from './service/DeliveryService';
import { EntityTargetResolver } from './service/EntityTargetResolver';
import { EventsService } from './service/EventsService';
import { GitOpsService } from './service/GitOpsService';
import { toHttpError } from './service/kubeErrors';
import { ObjectService } from './service/ObjectService';
import { ResourceGraphBuilder } from './service/ResourceGraphBuilder';

/** Dependencies of the Upbound REST API router. @public */
export interface RouterOptions {
  logger: LoggerService;
  config: RootConfigService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  upbound: UpboundService;
  auditor?: AuditorService;
}

/**
 * The REST API of the Upbound backend plugin. Every route authorizes the calling user before any
 * cluster call; access-layer errors become 404/502/503 naming the cluster.
 * @public
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { upbound, logger } = options;
  const config = readBackendConfig(options.config);
  const claims = new ClaimService(upbound);
  const graphs = new ResourceGraphBuilder({ cacheTtlMs: config.graphTtlMs });
  const gitops = new GitOpsService(upbound);
  const ctx = createRouteContext({
    httpAuth: options.httpAuth,
    permissions: options.permissions,
    logger,
    auditor: options.auditor,
    services: {
      upbound,
      claims,
      controlPlanes: new ControlPlaneService({
        upbound,
        claims,
        countsTtlMs: config.countsTtlMs,
        concurrency: config.countsConcurrency,
      }),
      graphs,
      events: new EventsService(),
      objects: new ObjectService(),
      connections: new ConnectionsService(upbound, claims),
      gitops,
      delivery: new DeliveryService(gitops, graphs),
      day2: new Day2Service(upbound),
      entities: new EntityTargetResolver(options.catalog, upbound),
      objectAuthorizer: new ObjectAuthorizer(
        options.permissions,
        upbound,
        claims,
      ),
      argoDestinations: new ArgoDestinations(upbound),
    },
  });

  const router = Router();
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  controlPlaneRoutes(router, ctx);
  objectRoutes(router, ctx);
  day2Routes(router, ctx);
  appClusterRoutes(router, ctx);
  entityRoutes(router, ctx);

  // Cluster errors keep their meaning: 404 for a missing API, 503 unreachable, 502 refused.
  router.use(
    (
      error: unknown,
      _req: express.Request,
      _res: express.Response,
      next: express.NextFunction,
    ) => {
      next(toHttpError(error));
    },
  );
  return router;
}
