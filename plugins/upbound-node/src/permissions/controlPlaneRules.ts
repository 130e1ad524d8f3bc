import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  type PolicyDecision,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
  type PermissionRuleset,
} from '@backstage/plugin-permission-node';
import {
  controlPlaneResourceRef,
  RESOURCE_TYPE_UPBOUND_CONTROL_PLANE,
} from '@upbound-backstage/plugin-upbound-common';
import { z } from 'zod';

/**
 * What the control plane permissions are decided on: a control plane, and the namespace in it when
 * the action targets one (a claim's namespace, the connector's claim namespace, an Argo CD
 * Application's destination namespace).
 * @public
 */
export interface UpboundControlPlaneResource {
  /** Control plane id, e.g. `space/local/team-a/prod`. */
  id: string;
  source: 'cloud' | 'space' | 'direct';
  space?: string;
  group?: string;
  name: string;
  /** Owner entity ref of the control plane, when known. */
  owner?: string;
  namespace?: string;
}

/** Filter form of the rules (`toQuery`): a field and the values it may take. @public */
export interface UpboundControlPlaneQuery {
  key: 'id' | 'space' | 'group' | 'namespace' | 'owner';
  values: string[];
}

/** The permission resource type `upbound-control-plane`, owned by the `upbound` plugin. @public */
export const upboundControlPlanePermissionResourceRef =
  createPermissionResourceRef<
    UpboundControlPlaneResource,
    UpboundControlPlaneQuery
  >().with({
    pluginId: 'upbound',
    resourceType: RESOURCE_TYPE_UPBOUND_CONTROL_PLANE,
  });

const values = (description: string) =>
  z.array(z.string()).describe(description);

const isControlPlane = createPermissionRule({
  name: 'IS_CONTROL_PLANE',
  description: 'Allow the control planes with these ids',
  resourceRef: upboundControlPlanePermissionResourceRef,
  paramsSchema: z.object({
    ids: values('Control plane ids, e.g. space/local/team-a/prod'),
  }),
  apply: (resource, { ids }) => ids.includes(resource.id),
  toQuery: ({ ids }) => ({ key: 'id', values: ids }),
});

const isInSpace = createPermissionRule({
  name: 'IS_IN_SPACE',
  description: 'Allow control planes in these Spaces',
  resourceRef: upboundControlPlanePermissionResourceRef,
  paramsSchema: z.object({ spaces: values('Space names') }),
  apply: (resource, { spaces }) =>
    !!resource.space && spaces.includes(resource.space),
  toQuery: ({ spaces }) => ({ key: 'space', values: spaces }),
});

const isInGroup = createPermissionRule({
  name: 'IS_IN_GROUP',
  description: 'Allow control planes in these Space groups',
  resourceRef: upboundControlPlanePermissionResourceRef,
  paramsSchema: z.object({
    groups: values('Group names (group namespaces of the Space)'),
  }),
  apply: (resource, { groups }) =>
    !!resource.group && groups.includes(resource.group),
  toQuery: ({ groups }) => ({ key: 'group', values: groups }),
});

const isInNamespace = createPermissionRule({
  name: 'IS_IN_NAMESPACE',
  description:
    'Allow actions that target these namespaces inside the control plane (claims, connector claim namespaces, Argo CD destinations)',
  resourceRef: upboundControlPlanePermissionResourceRef,
  paramsSchema: z.object({
    namespaces: values('Namespaces in the control plane'),
  }),
  apply: (resource, { namespaces }) =>
    !!resource.namespace && namespaces.includes(resource.namespace),
  toQuery: ({ namespaces }) => ({ key: 'namespace', values: namespaces }),
});

const isControlPlaneOwner = createPermissionRule({
  name: 'IS_CONTROL_PLANE_OWNER',
  description: 'Allow control planes owned by one of these entity refs',
  resourceRef: upboundControlPlanePermissionResourceRef,
  paramsSchema: z.object({
    claims: values(
      'Ownership entity refs, e.g. the ownershipEntityRefs of the caller',
    ),
  }),
  apply: (resource, { claims }) =>
    !!resource.owner && claims.includes(resource.owner),
  toQuery: ({ claims }) => ({ key: 'owner', values: claims }),
});

/** The permission rules of the `upbound-control-plane` resource type. @public */
export const upboundControlPlanePermissionRules = {
  isControlPlane,
  isInSpace,
  isInGroup,
  isInNamespace,
  isControlPlaneOwner,
};

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: upboundControlPlanePermissionResourceRef,
  rules: upboundControlPlanePermissionRules,
});

/**
 * Conditions for a permission policy, e.g.
 * `createUpboundControlPlaneConditionalDecision(permission, upboundControlPlaneConditions.isInGroup({ groups: ['team-a'] }))`.
 * @public
 */
export const upboundControlPlaneConditions = conditions;

/** Builds a conditional decision for an `upbound-control-plane` permission. @public */
export const createUpboundControlPlaneConditionalDecision =
  createConditionalDecision;

const ruleList = Object.values(upboundControlPlanePermissionRules);
const ruleset: PermissionRuleset<
  UpboundControlPlaneResource,
  UpboundControlPlaneQuery
> = {
  getRuleByName(name) {
    const rule = ruleList.find(r => r.name === name);
    if (!rule) throw new Error(`Unknown upbound-control-plane rule ${name}`);
    return rule;
  },
};
const isAuthorized = createConditionAuthorizer(ruleset);

/**
 * Applies a policy decision for an `upbound-control-plane` permission to a resource: ALLOW passes,
 * DENY fails, CONDITIONAL passes when its conditions hold for the resource.
 * @public
 */
export function controlPlaneDecisionAllows(
  decision: PolicyDecision,
  resource: UpboundControlPlaneResource,
): boolean {
  return isAuthorized(decision, resource);
}

/** The resource of a control plane (from the inventory), optionally narrowed to a namespace. @public */
export function toControlPlaneResource(
  cp: {
    id: string;
    source: UpboundControlPlaneResource['source'];
    space?: string;
    group?: string;
    name: string;
    owner?: string;
  },
  namespace?: string,
): UpboundControlPlaneResource {
  return {
    id: cp.id,
    source: cp.source,
    name: cp.name,
    ...(cp.space ? { space: cp.space } : {}),
    ...(cp.group ? { group: cp.group } : {}),
    ...(cp.owner ? { owner: cp.owner } : {}),
    ...(namespace ? { namespace } : {}),
  };
}

/**
 * Authorizes an `upbound-control-plane` permission for the caller on one control plane (and
 * namespace), evaluating a conditional decision here, and throws NotAllowedError naming the
 * permission and the control plane otherwise.
 * @public
 */
export async function authorizeControlPlane(options: {
  permissions: PermissionsService;
  credentials: BackstageCredentials;
  permission: ResourcePermission<typeof RESOURCE_TYPE_UPBOUND_CONTROL_PLANE>;
  resource: UpboundControlPlaneResource;
  /** Prefix of the error message. */
  what?: string;
}): Promise<void> {
  const { permissions, credentials, permission, resource } = options;
  const [decision] = await permissions.authorizeConditional([{ permission }], {
    credentials,
  });
  if (decision.result === AuthorizeResult.ALLOW) return;
  if (
    decision.result === AuthorizeResult.CONDITIONAL &&
    controlPlaneDecisionAllows(decision, resource)
  ) {
    return;
  }
  const target = controlPlaneResourceRef(resource.id, resource.namespace);
  throw new NotAllowedError(
    `${options.what ?? 'Not allowed'}: permission '${
      permission.name
    }' was denied for ${target}`,
  );
}
