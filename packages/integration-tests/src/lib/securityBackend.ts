import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  type HttpAuthService,
  type BackendFeature,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  AuthorizeResult,
  isResourcePermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import scaffolderModuleUpbound from '@upbound-backstage/plugin-scaffolder-backend-module-upbound';
import upboundPlugin from '@upbound-backstage/plugin-upbound-backend';
import {
  createUpboundControlPlaneConditionalDecision,
  upboundControlPlaneConditions,
  upboundServiceFactory,
  type UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import { CapturingLogger } from './CapturingLogger';
import { captureUpbound } from './harness';

/** Users of the permission matrix. */
export const ALICE = 'user:default/alice'; // allowed everything
export const BOB = 'user:default/bob'; // denied every Upbound permission
export const CAROL = 'user:default/carol'; // owner-only: conditional on catalog entities

/**
 * alice: allowed. bob: denied every `upbound.*` permission. carol: the owner-only policy, i.e.
 * resource permissions on catalog entities are conditional on IS_ENTITY_OWNER, control plane
 * permissions (create, connect, kubeconfig, sync) are conditional on the group `team-a`, reading
 * control planes is allowed. Non-Upbound permissions are allowed.
 */
export class MatrixPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!permission.name.startsWith('upbound.'))
      return { result: AuthorizeResult.ALLOW };
    const principal = user?.credentials.principal as
      | { userEntityRef?: string }
      | undefined;
    const who = principal?.userEntityRef;
    if (who === ALICE) return { result: AuthorizeResult.ALLOW };
    if (who === CAROL) {
      if (isResourcePermission(permission, 'catalog-entity')) {
        return createCatalogConditionalDecision(
          permission,
          catalogConditions.isEntityOwner({ claims: [who] }),
        );
      }
      if (isResourcePermission(permission, 'upbound-control-plane')) {
        return createUpboundControlPlaneConditionalDecision(
          permission,
          upboundControlPlaneConditions.isInGroup({ groups: ['team-a'] }),
        );
      }
      if (permission.name === 'upbound.controlplane.read')
        return { result: AuthorizeResult.ALLOW };
    }
    return { result: AuthorizeResult.DENY };
  }
}

/** A catalog module that emits fixed entities (claims with their coordinates). */
export function fixedEntities(entities: Entity[]): BackendFeature {
  return createBackendModule({
    pluginId: 'catalog',
    moduleId: 'test-entities',
    register(env) {
      env.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addEntityProvider({
            getProviderName: () => 'test-entities',
            connect: async connection => {
              await connection.applyMutation({
                type: 'full',
                entities: entities.map(entity => ({
                  entity,
                  locationKey: 'test-entities',
                })),
              });
            },
          });
        },
      });
    },
  });
}

const SERVICE_TOKEN_PREFIX = 'mock-service-token:';

/**
 * The mock HTTP auth, except that a token issued on behalf of a user authenticates as that user
 * with the issuing plugin as actor, as real Backstage tokens do. (The mock drops the actor, which
 * the permission backend reads to tell plugin calls from direct user calls.)
 */
const onBehalfOfHttpAuth = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): HttpAuthService {
    const inner = mockServices.httpAuth({ pluginId: plugin.getId() });
    return {
      issueUserCookie: (res, o) => inner.issueUserCookie(res, o),
      async credentials(req: any, options?: any) {
        const credentials = await inner.credentials(req, options);
        const token = String(req.headers.authorization ?? '').replace(
          /^Bearer\s+/i,
          '',
        );
        if (token.startsWith(SERVICE_TOKEN_PREFIX)) {
          const { obo, target } = JSON.parse(
            token.slice(SERVICE_TOKEN_PREFIX.length),
          );
          if (obo) {
            return mockCredentials.user(obo, {
              actor: { subject: `plugin:calling-${target}` },
            }) as any;
          }
        }
        return credentials;
      },
    } as HttpAuthService;
  },
});

const policyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'test-matrix-policy',
  register(env) {
    env.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new MatrixPolicy());
      },
    });
  },
});

/**
 * A backend with the real catalog, permission framework, Upbound plugin, and the real scaffolder
 * with the Upbound actions: tasks of registered templates run through its task runner.
 */
export interface SecurityBackend {
  server: any;
  upbound: UpboundService;
  logger: CapturingLogger;
  /** Authorization header of a user. */
  header(user: string): string;
  stop(): Promise<void>;
}

export async function startSecurityBackend(
  config: Record<string, any>,
  entities: Entity[],
): Promise<SecurityBackend> {
  const logger = new CapturingLogger();
  let upbound: UpboundService | undefined;
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleScaffolderEntityModel,
      fixedEntities(entities),
      permissionPlugin,
      policyModule,
      upboundPlugin,
      scaffolderPlugin,
      scaffolderModuleUpbound,
      upboundServiceFactory,
      captureUpbound(s => (upbound = s)),
      logger.factory(),
      onBehalfOfHttpAuth,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
          permission: { enabled: true },
          catalog: {
            rules: [{ allow: ['Component', 'API', 'Resource', 'Location', 'Template'] }],
            processingInterval: { seconds: 1 },
          },
          ...config,
        },
      }),
    ],
  });
  return {
    server: backend.server,
    upbound: upbound!,
    logger,
    header: user => mockCredentials.user.header(user),
    stop: () => backend.stop(),
  };
}
