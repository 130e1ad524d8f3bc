import type {
  AuthService,
  DiscoveryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError } from '@backstage/errors';
import {
  upboundClaimCreatePermission,
  upboundControlPlaneReadPermission,
  type ControlPlaneList,
  type GitOpsStatusResponse,
  type ResourceGraph,
} from '@upbound-backstage/plugin-upbound-common';
import type {
  KubeObject,
  UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import { requirePermission } from '../permissions/requirePermission';
import { claimTargetOf } from '../service/ClaimService';
import {
  summarizeClaimObject,
  summarizeControlPlanes,
  summarizeGitOps,
  summarizeGraph,
} from './summaries';
import { queryString, UpboundApiCaller } from './UpboundApiCaller';

/** Dependencies of {@link registerUpboundActions}. @public */
export interface UpboundActionsOptions {
  actionsRegistry: ActionsRegistryService;
  auth: AuthService;
  discovery: DiscoveryService;
  permissions: PermissionsService;
  upbound: UpboundService;
}

const FIELD_MANAGER = 'backstage-upbound';

/**
 * Registers the control plane actions with the Actions Registry, so AI agents (through the
 * Backstage MCP actions backend) read and operate control planes side by side with people. Every
 * action runs as its caller: reads and day-2 operations go through this plugin's REST routes on
 * the caller's behalf (the same permission checks, validation and errors as the pages); the claim
 * dry-run checks the same permissions as `upbound:claim:create` and never writes.
 * @public
 */
export function registerUpboundActions(options: UpboundActionsOptions): void {
  const { actionsRegistry: registry, permissions, upbound } = options;
  const api = new UpboundApiCaller(options);
  const enc = encodeURIComponent;

  const objectInput = (z: any) =>
    z.object({
      controlPlaneId: z
        .string()
        .min(1)
        .describe(
          'Control plane id from list-control-planes, e.g. space/local/platform/dev',
        ),
      apiVersion: z
        .string()
        .min(1)
        .describe(
          'apiVersion of the claim or XR, e.g. database.example.org/v1alpha1',
        ),
      kind: z.string().min(1).describe('Kind, e.g. PostgreSQLInstance'),
      namespace: z
        .string()
        .optional()
        .describe('Namespace (claims and namespaced XRs)'),
      name: z.string().min(1).describe('Name of the claim or XR'),
    });
  const objectQuery = (i: {
    apiVersion: string;
    kind: string;
    namespace?: string;
    name: string;
  }) =>
    queryString({
      apiVersion: i.apiVersion,
      kind: i.kind,
      namespace: i.namespace,
      name: i.name,
    });
  const conditionSchema = (z: any) =>
    z.object({
      state: z.string(),
      reason: z.string().optional(),
      message: z.string().optional(),
    });
  const nodeSchema = (z: any) =>
    z
      .object({
        role: z.string(),
        apiVersion: z.string(),
        kind: z.string(),
        name: z.string(),
        namespace: z.string().optional(),
        ready: conditionSchema(z),
        synced: conditionSchema(z),
        missing: z.boolean().optional(),
        error: z.string().optional(),
      })
      .passthrough();
  const errorsSchema = (z: any) =>
    z
      .array(
        z.object({
          controlPlane: z.string(),
          type: z.string(),
          message: z.string(),
        }),
      )
      .describe('Control planes or clusters that could not be read, and why');

  registry.register({
    name: 'list-control-planes',
    title: 'List control planes',
    description:
      'Lists the Crossplane control planes (Upbound managed control planes in Spaces, and directly connected ones) with their Space, group, readiness, Crossplane version and claim counts, including how many claims are failing. Control planes that could not be read are listed with the reason.',
    attributes: { readOnly: true, idempotent: true },
    visibilityPermission: upboundControlPlaneReadPermission,
    schema: {
      input: z => z.object({}),
      output: z =>
        z.object({
          controlPlanes: z.array(
            z
              .object({
                id: z.string(),
                name: z.string(),
                source: z.string(),
                space: z.string().optional(),
                group: z.string().optional(),
                ready: conditionSchema(z),
                crossplaneVersion: z.string().optional(),
                claimApiCount: z.number().optional(),
                claimCount: z.number().optional(),
                failingClaimCount: z.number().optional(),
                error: z.string().optional(),
              })
              .passthrough(),
          ),
          errors: errorsSchema(z),
        }),
    },
    action: async ({ credentials }) => ({
      output: summarizeControlPlanes(
        await api.request<ControlPlaneList>(
          credentials,
          'GET',
          '/controlplanes',
        ),
      ),
    }),
  });

  registry.register({
    name: 'get-claim-status',
    title: 'Get claim status',
    description:
      'The Ready and Synced conditions (with reason and message), paused state, composition and composite resource of one claim or namespaced composite resource (XR) in a control plane.',
    attributes: { readOnly: true, idempotent: true },
    visibilityPermission: upboundControlPlaneReadPermission,
    schema: {
      input: objectInput,
      output: z =>
        z.object({
          apiVersion: z.string(),
          kind: z.string(),
          name: z.string(),
          namespace: z.string().optional(),
          ready: conditionSchema(z),
          synced: conditionSchema(z),
          paused: z.boolean(),
          compositionName: z.string().optional(),
          compositeResource: z.string().optional(),
          createdAt: z.string().optional(),
        }),
    },
    action: async ({ input, credentials }) => {
      const { object } = await api.request<{ object: KubeObject }>(
        credentials,
        'GET',
        `/controlplanes/${enc(input.controlPlaneId)}/object${objectQuery(
          input,
        )}`,
      );
      return { output: summarizeClaimObject(object) };
    },
  });

  registry.register({
    name: 'get-resource-graph-summary',
    title: 'Get the resource graph summary of a claim',
    description:
      'Summarizes the resource graph of a claim or XR (claim, composite resources, managed resources, nested composites): how many resources are ready, failing or missing, and the failing path from the claim down to the deepest failing resource, each with its Ready/Synced reason and message. Use it to explain why a claim is not Ready.',
    attributes: { readOnly: true, idempotent: true },
    visibilityPermission: upboundControlPlaneReadPermission,
    schema: {
      input: objectInput,
      output: z =>
        z.object({
          root: nodeSchema(z).optional(),
          nodeCount: z.number(),
          readyCount: z.number(),
          failingCount: z.number(),
          missingCount: z.number(),
          failingPath: z
            .array(nodeSchema(z))
            .describe(
              'From the root to the deepest failing resource; empty when nothing fails',
            ),
        }),
    },
    action: async ({ input, credentials }) => ({
      output: summarizeGraph(
        await api.request<ResourceGraph>(
          credentials,
          'GET',
          `/controlplanes/${enc(input.controlPlaneId)}/graph${objectQuery(
            input,
          )}`,
        ),
      ),
    }),
  });

  registry.register({
    name: 'get-gitops-status',
    title: 'Get the GitOps status of a control plane',
    description:
      'The Argo CD Applications and Flux Kustomizations that deliver into a control plane, with sync and health status, revisions and messages.',
    attributes: { readOnly: true, idempotent: true },
    visibilityPermission: upboundControlPlaneReadPermission,
    schema: {
      input: z =>
        z.object({
          controlPlaneId: z
            .string()
            .min(1)
            .describe('Control plane id from list-control-planes'),
        }),
      output: z =>
        z.object({
          argocd: z.array(z.object({}).passthrough()),
          flux: z.array(z.object({}).passthrough()),
          errors: errorsSchema(z),
        }),
    },
    action: async ({ input, credentials }) => ({
      output: summarizeGitOps(
        await api.request<GitOpsStatusResponse>(
          credentials,
          'GET',
          `/controlplanes/${enc(input.controlPlaneId)}/gitops`,
        ),
      ),
    }),
  });

  registry.register({
    name: 'create-claim-dry-run',
    title: 'Check a new claim without creating it',
    description:
      'Validates a claim (or namespaced XR) against its claim API in a control plane with a server-side dry run: nothing is created. Returns the object as the control plane would store it (defaults applied), or the validation error. Create the claim itself with the "Create a claim" template.',
    attributes: { readOnly: false, destructive: false, idempotent: true },
    visibilityPermission: upboundControlPlaneReadPermission,
    schema: {
      input: z =>
        z.object({
          controlPlaneId: z
            .string()
            .min(1)
            .describe('Control plane id from list-control-planes'),
          apiVersion: z
            .string()
            .min(1)
            .describe(
              'apiVersion of the claim, e.g. database.example.org/v1alpha1',
            ),
          kind: z
            .string()
            .min(1)
            .describe('Claim kind, e.g. PostgreSQLInstance'),
          namespace: z.string().min(1).describe('Namespace of the claim'),
          name: z.string().min(1).describe('Name of the claim'),
          spec: z
            .record(z.unknown())
            .default({})
            .describe(
              'spec of the claim, e.g. { "parameters": { "storageGB": 20 } }',
            ),
        }),
      output: z =>
        z.object({
          valid: z.boolean(),
          object: z.object({}).passthrough(),
        }),
    },
    action: async ({ input, credentials }) => {
      // The same checks as upbound:claim:create, in their basic form: only an unconditional ALLOW
      // passes without a resource to evaluate conditions on.
      for (const permission of [
        upboundControlPlaneReadPermission,
        upboundClaimCreatePermission,
      ]) {
        await requirePermission({ permissions, credentials, permission });
      }
      const cp = await upbound.controlPlane(input.controlPlaneId);
      const group = input.apiVersion.split('/')[0];
      const target = (await upbound.claimApis(cp.id))
        .map(claimTargetOf)
        .find(t => t && t.api.group === group && t.kind === input.kind);
      if (!target) {
        throw new InputError(
          `${input.kind} (${group}) is not a claim or namespaced XR kind of control plane ${cp.id}; list its claim APIs on the control plane page`,
        );
      }
      const obj: KubeObject = {
        apiVersion: input.apiVersion,
        kind: input.kind,
        metadata: { name: input.name, namespace: input.namespace },
        spec: input.spec,
      };
      const applied = await cp.client.apply(obj, {
        fieldManager: FIELD_MANAGER,
        dryRun: true,
      });
      const { managedFields: _m, ...metadata } = (applied.metadata ??
        {}) as Record<string, unknown>;
      return {
        output: { valid: true, object: { ...applied, metadata } },
      };
    },
  });

  const day2 = (
    name: string,
    title: string,
    description: string,
    body: (i: any) => unknown,
    path: string,
  ) =>
    registry.register({
      name,
      title,
      description,
      attributes: { readOnly: false, destructive: false, idempotent: true },
      visibilityPermission: upboundControlPlaneReadPermission,
      schema: {
        input: objectInput,
        output: z =>
          z.object({
            paused: z.boolean().optional(),
            requestedAt: z.string().optional(),
          }),
      },
      action: async ({ input, credentials }) => ({
        output: await api.request<{ paused?: boolean; requestedAt?: string }>(
          credentials,
          'POST',
          `/controlplanes/${enc(input.controlPlaneId)}/${path}`,
          body(input),
        ),
      }),
    });
  const ref = (i: any) => ({
    apiVersion: i.apiVersion,
    kind: i.kind,
    ...(i.namespace ? { namespace: i.namespace } : {}),
    name: i.name,
  });
  day2(
    'pause-claim',
    'Pause a claim',
    'Pauses reconciliation of a claim or XR (Crossplane stops acting on it until resumed). Recorded in the audit log.',
    i => ({ ...ref(i), paused: true }),
    'pause',
  );
  day2(
    'resume-claim',
    'Resume a claim',
    'Resumes reconciliation of a paused claim or XR. Recorded in the audit log.',
    i => ({ ...ref(i), paused: false }),
    'pause',
  );
  day2(
    'reconcile-claim',
    'Reconcile a claim',
    'Asks Crossplane to reconcile a claim or XR now. Recorded in the audit log.',
    ref,
    'reconcile',
  );
}
