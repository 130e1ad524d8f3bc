import type {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { Permission } from '@backstage/plugin-permission-common';
import {
  isDns1123Label,
  isDns1123Subdomain,
} from '@upbound-backstage/plugin-upbound-common';
import type { UpboundService } from '@upbound-backstage/plugin-upbound-node';
import type { Request } from 'express';
import { z } from 'zod';
import type { ObjectAuthorizer } from '../permissions/ObjectAuthorizer';
import { requirePermission } from '../permissions/requirePermission';
import type { ArgoDestinations } from '../service/ArgoDestinations';
import type { ClaimService } from '../service/ClaimService';
import type { ConnectionsService } from '../service/ConnectionsService';
import type { ControlPlaneService } from '../service/ControlPlaneService';
import type { Day2Service } from '../service/Day2Service';
import type { DeliveryService } from '../service/DeliveryService';
import type { EntityTargetResolver } from '../service/EntityTargetResolver';
import type { EventsService } from '../service/EventsService';
import type { GitOpsService } from '../service/GitOpsService';
import type { ObjectService } from '../service/ObjectService';
import type { ResourceGraphBuilder } from '../service/ResourceGraphBuilder';

/** What every route group gets: the services plus auth and audit helpers. */
export interface RouteContext {
  upbound: UpboundService;
  controlPlanes: ControlPlaneService;
  claims: ClaimService;
  graphs: ResourceGraphBuilder;
  events: EventsService;
  objects: ObjectService;
  connections: ConnectionsService;
  gitops: GitOpsService;
  delivery: DeliveryService;
  day2: Day2Service;
  entities: EntityTargetResolver;
  objectAuthorizer: ObjectAuthorizer;
  argoDestinations: ArgoDestinations;
  permissions: PermissionsService;
  /** Authenticates the caller and authorizes them; throws NotAllowedError before any cluster call. */
  authorize(
    req: Request<any, any, any, any>,
    permission: Permission,
    resourceRef?: string,
  ): Promise<BackstageCredentials>;
  credentials(req: Request<any, any, any, any>): Promise<BackstageCredentials>;
  /** Runs a write with an audit event (or an info log line when no auditor is available). */
  audited<T>(
    req: Request<any, any, any, any>,
    eventId: string,
    meta: Record<string, string>,
    fn: () => Promise<T>,
  ): Promise<T>;
}

export function createRouteContext(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  logger: LoggerService;
  auditor?: AuditorService;
  services: Omit<
    RouteContext,
    'authorize' | 'credentials' | 'audited' | 'permissions'
  >;
}): RouteContext {
  const { httpAuth, permissions, logger, auditor } = options;
  const credentials = (req: Request<any, any, any, any>) =>
    httpAuth.credentials(req);
  return {
    ...options.services,
    permissions,
    credentials,
    async authorize(req, permission, resourceRef) {
      const creds = await credentials(req);
      await requirePermission({
        permissions,
        credentials: creds,
        permission,
        resourceRef,
      });
      return creds;
    },
    async audited(req, eventId, meta, fn) {
      if (auditor) {
        const event = await auditor.createEvent({
          eventId,
          severityLevel: 'medium',
          request: req,
          meta,
        });
        try {
          const result = await fn();
          await event.success();
          return result;
        } catch (error) {
          await event.fail({ error: error as Error });
          throw error;
        }
      }
      const { principal } = await credentials(req);
      const who =
        (principal as { userEntityRef?: string; subject?: string })
          .userEntityRef ??
        (principal as { subject?: string }).subject ??
        'unknown';
      logger.info(`${eventId} by ${who}`, meta);
      return fn();
    },
  };
}

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const API_VERSION = new RegExp(`^(${LABEL}(\\.${LABEL})*/)?${LABEL}$`);
const KIND = /^[A-Za-z][A-Za-z0-9]{0,62}$/;

/** An apiVersion (`group/version` or `version`); nothing a URL parser could rewrite. */
export const apiVersionSchema = z
  .string()
  .regex(API_VERSION, 'must be <group>/<version> or <version>');
/** A Kubernetes kind. */
export const kindSchema = z
  .string()
  .regex(KIND, 'must be a Kubernetes kind (letters and digits)');
/** An object name: a DNS-1123 subdomain, so `.` and `..` never reach a request path. */
export const objectNameSchema = z
  .string()
  .refine(isDns1123Subdomain, 'must be a DNS-1123 subdomain');
/** A namespace: a DNS-1123 label. */
export const namespaceSchema = z
  .string()
  .refine(isDns1123Label, 'must be a DNS-1123 label');

/** Object coordinates from a query string or body, validated before they reach a URL. */
export const objectRefSchema = z.object({
  apiVersion: apiVersionSchema,
  kind: kindSchema,
  namespace: namespaceSchema.optional(),
  name: objectNameSchema,
});

/** Parses with a schema and throws InputError naming the fields. */
export function parse<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what: string,
): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const fields = result.error.issues
      .map(i => `${i.path.join('.') || what}: ${i.message}`)
      .join('; ');
    throw new InputError(`Invalid ${what}: ${fields}`);
  }
  return result.data;
}
