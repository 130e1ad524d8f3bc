import type { PermissionsService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createHash } from 'node:crypto';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  claimApiUnavailable,
  claimEntityName,
  upboundClaimCreatePermission,
  type ClaimApi,
} from '@upbound-backstage/plugin-upbound-common';
import {
  KubeError,
  ownerAnnotations,
  toControlPlaneResource,
  UPBOUND_CONFIG_DEFAULTS,
  type KubeObject,
  type OwnerConfig,
  type UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import { requireControlPlanePermission } from '../lib/authorize';
import { UPBOUND_FIELD_MANAGER } from '../lib/constants';
import { connectorClusterId } from '../lib/connectorAppCluster';
import { lookupAppCluster, lookupControlPlane } from '../lib/lookup';
import { writeManifests } from '../lib/manifests';
import { applyObjects, prepareObjects } from '../lib/ObjectPlan';
import { describeObject } from '../lib/ownership';
import { createSpecValidator } from '../lib/specValidator';
import {
  assertDnsLabel,
  assertDnsSubdomain,
  assertMetadataMap,
  parseParameters,
} from '../lib/validation';
import { examples } from './claimCreate.examples';
import {
  controlPlaneInput,
  manifestPathOutput,
  modeInput,
  targetPathInput,
} from './inputProperties';

interface ResolvedClaimApi {
  api: ClaimApi;
  type: 'claim' | 'composite';
  namespaced: boolean;
  schema?: Record<string, unknown>;
}

function findClaimApi(
  apis: ClaimApi[],
  apiVersion: string,
  kind: string,
  controlPlaneId: string,
): ResolvedClaimApi {
  const [group, version] = apiVersion.split('/');
  const api = apis.find(
    a => a.group === group && (a.claimKind === kind || a.kind === kind),
  );
  if (!api || !version) {
    const known = apis
      .map(a => `${a.group}/${a.claimKind ?? a.kind}`)
      .join(', ');
    throw new InputError(
      `Unknown claim API ${apiVersion} ${kind}: control plane '${controlPlaneId}' serves ${known || 'no claim APIs'}`,
    );
  }
  const served = api.versions.find(v => v.name === version && v.served);
  if (!served) {
    throw new InputError(
      `Invalid apiVersion '${apiVersion}': ${api.name} serves ${api.versions
        .filter(v => v.served)
        .map(v => `${api.group}/${v.name}`)
        .join(', ')}`,
    );
  }
  const type = api.claimKind === kind ? 'claim' : 'composite';
  const unavailable = claimApiUnavailable(api, type);
  if (unavailable) {
    throw new InputError(
      `Cannot create ${kind} (${apiVersion}) in control plane '${controlPlaneId}': ${unavailable}`,
    );
  }
  return {
    api,
    type,
    namespaced: type === 'claim' || api.scope === 'Namespaced',
    schema: served.schema,
  };
}

/**
 * Creates a claim (or a v2 namespaced XR) in a control plane, validated against its XRD's schema,
 * with server-side apply, or writes it as a manifest into the workspace for a pull request.
 * @public
 */
export function createClaimCreateAction(options: {
  upbound: UpboundService;
  permissions: PermissionsService;
  /**
   * The owner rule (`upbound.owners`, read with `readOwnerConfig`): `owner` is written to the
   * annotation named by its `label`, which the catalog reads. Default key: `upbound.io/owner`.
   */
  owners?: Pick<OwnerConfig, 'label'>;
}) {
  const { upbound, permissions } = options;
  const owners = options.owners ?? { label: UPBOUND_CONFIG_DEFAULTS.ownerLabel };
  return createTemplateAction({
    id: 'upbound:claim:create',
    description:
      'Creates a claim or namespaced composite resource in an Upbound control plane, validated against its XRD schema; applied directly or written as a manifest for a pull request',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        controlPlane: controlPlaneInput,
        apiVersion: z =>
          z
            .string()
            .min(1)
            .describe('API version of the claim, e.g. `database.example.org/v1alpha1`'),
        kind: z =>
          z
            .string()
            .min(1)
            .describe('Claim kind (legacy XRDs) or composite kind (v2 namespaced XRs)'),
        name: z => z.string().describe('Name of the claim (DNS-1123 subdomain)'),
        namespace: z =>
          z
            .string()
            .optional()
            .describe('Namespace in the control plane (default `default`; not used for cluster-scoped XRs)'),
        parameters: z =>
          z
            .union([z.string(), z.record(z.unknown())])
            .optional()
            .describe('The whole `spec`, as an object or a YAML/JSON string; validated against the XRD schema'),
        labels: z =>
          z.record(z.string()).optional().describe('Labels to set on the claim'),
        annotations: z =>
          z.record(z.string()).optional().describe('Annotations to set on the claim'),
        owner: z =>
          z
            .string()
            .optional()
            .describe(`Owner entity ref, written to the \`${owners.label}\` annotation the catalog reads`),
        appCluster: z =>
          z
            .string()
            .optional()
            .describe(
              'Create the claim in this app cluster, through its MCP Connector (`namespace` is then a namespace of the app cluster); validated against the control plane\'s XRD all the same',
            ),
        claimNamespace: z =>
          z
            .string()
            .optional()
            .describe(
              'With `appCluster`: the connector\'s claim namespace in the control plane, to name the control plane object (`claim-<hash>`) and its catalog entity',
            ),
        mode: modeInput,
        targetPath: z => targetPathInput(z, 'claims/<namespace>/<name>.yaml'),
      },
      output: {
        apiVersion: z => z.string().describe('API version of the object'),
        kind: z => z.string().describe('Kind of the object'),
        namespace: z => z.string().optional().describe('Namespace of the object'),
        name: z => z.string().describe('Name of the object'),
        controlPlane: z => z.string().describe('Control plane id'),
        entityRef: z =>
          z
            .string()
            .optional()
            .describe('Catalog entity ref the object will appear under (with `appCluster`: only when `claimNamespace` is given)'),
        controlPlaneName: z =>
          z
            .string()
            .optional()
            .describe('With `appCluster`: the name of the object the connector stores in the control plane (`claim-<hash>`)'),
        manifestPath: manifestPathOutput,
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const mode = input.mode ?? 'apply';
      let target:
        | {
            controlPlane: Awaited<ReturnType<typeof lookupControlPlane>>;
            resolved: ResolvedClaimApi;
            namespace?: string;
          }
        | undefined;
      const resolveTarget = async () => {
        if (target) return target;
        const controlPlane = await lookupControlPlane(
          upbound,
          input.controlPlane,
        );
        const resolved = findClaimApi(
          await upbound.claimApis(controlPlane.id),
          input.apiVersion,
          input.kind,
          controlPlane.id,
        );
        let ns: string | undefined;
        if (resolved.namespaced) {
          ns = input.namespace || 'default';
          assertDnsLabel('namespace', ns);
        } else if (input.namespace) {
          throw new InputError(
            `namespace must be empty: ${input.kind} is cluster-scoped`,
          );
        }
        target = { controlPlane, resolved, ...(ns ? { namespace: ns } : {}) };
        return target;
      };
      // Decided per control plane and namespace (a conditional decision needs the target).
      await requireControlPlanePermission(
        ctx,
        permissions,
        upboundClaimCreatePermission,
        async () => {
          const t = await resolveTarget();
          return toControlPlaneResource(
            t.controlPlane,
            input.appCluster ? input.claimNamespace : t.namespace,
          );
        },
      );

      assertDnsSubdomain('name', input.name);
      assertMetadataMap('labels', input.labels);
      assertMetadataMap('annotations', input.annotations);
      const spec = parseParameters('parameters', input.parameters);

      const { controlPlane, resolved, namespace } = await resolveTarget();
      createSpecValidator(
        resolved.schema,
        `${input.kind} (${input.apiVersion})`,
      ).validate(spec);

      const annotations = {
        ...input.annotations,
        ...(input.owner ? ownerAnnotations(owners, input.owner) : {}),
      };
      const object: KubeObject = {
        apiVersion: input.apiVersion,
        kind: input.kind,
        metadata: {
          name: input.name,
          ...(namespace ? { namespace } : {}),
          ...(input.labels && Object.keys(input.labels).length
            ? { labels: input.labels }
            : {}),
          ...(Object.keys(annotations).length ? { annotations } : {}),
        },
        spec,
      };
      // Through the connector: the app cluster serves the claim API and stores nothing; the control
      // plane object is `claim-<first 16 hex of sha256(name-x-namespace-x-clusterId)>` in the claim namespace.
      const appCluster = input.appCluster ? lookupAppCluster(upbound, input.appCluster) : undefined;
      let entityName: string | undefined;
      let controlPlaneName: string | undefined;
      if (appCluster) {
        if (!namespace) {
          throw new InputError(`${input.kind} is cluster-scoped; the MCP Connector serves namespaced claims only`);
        }
        if (input.claimNamespace) assertDnsLabel('claimNamespace', input.claimNamespace);
        const { clusterId } = await connectorClusterId(appCluster);
        controlPlaneName = `claim-${createHash('sha256')
          .update(`${input.name}-x-${namespace}-x-${clusterId}`)
          .digest('hex')
          .slice(0, 16)}`;
        if (input.claimNamespace) {
          entityName = claimEntityName({
            controlPlaneId: controlPlane.id,
            kind: input.kind,
            namespace: input.claimNamespace,
            name: controlPlaneName,
            controlPlaneName: controlPlane.name,
          });
        }
      } else {
        entityName = claimEntityName({
          controlPlaneId: controlPlane.id,
          kind: input.kind,
          namespace,
          name: input.name,
          controlPlaneName: controlPlane.name,
        });
      }

      ctx.output('apiVersion', input.apiVersion);
      ctx.output('kind', input.kind);
      if (namespace) ctx.output('namespace', namespace);
      ctx.output('name', input.name);
      ctx.output('controlPlane', controlPlane.id);
      if (entityName) ctx.output('entityRef', `resource:default/${entityName}`);
      if (controlPlaneName) ctx.output('controlPlaneName', controlPlaneName);

      if (mode === 'manifest') {
        const manifestPath = await writeManifests(
          ctx.workspacePath,
          input.targetPath ??
            (namespace
              ? `claims/${namespace}/${input.name}.yaml`
              : `claims/${input.name}.yaml`),
          [object],
        );
        ctx.logger.info(`Wrote ${describeObject(object)} to ${manifestPath}`);
        ctx.output('manifestPath', manifestPath);
        return;
      }

      const client = appCluster ? appCluster.client : controlPlane.client;
      const where = appCluster
        ? `app cluster ${appCluster.name}`
        : `control plane ${controlPlane.id}`;
      if (appCluster) {
        try {
          await client.resolve(input.apiVersion, input.kind);
        } catch (e) {
          if (e instanceof KubeError && (e.type === 'crd-missing' || e.type === 'not-found')) {
            throw new InputError(
              `${where} does not serve ${input.kind} (${input.apiVersion}): is the MCP Connector for control plane ${controlPlane.id} installed there, and its APIService ${input.apiVersion.split('/')[1]}.${input.apiVersion.split('/')[0]} Available?`,
            );
          }
          throw e;
        }
      }
      if (namespace) {
        const nsType = await client.resolve('v1', 'Namespace');
        if (!(await client.tryGet(nsType, namespace))) {
          throw new InputError(
            `Namespace '${namespace}' does not exist in ${where}; choose an existing namespace`,
          );
        }
      }
      const prepared = await prepareObjects([
        { client, where, object, ownership: 'exclusive' },
      ]);
      if (ctx.isDryRun) {
        // Server-side dry run: the API server checks the object against the CRD, nothing is stored.
        await client.apply(object, {
          fieldManager: UPBOUND_FIELD_MANAGER,
          dryRun: true,
        });
      }
      await applyObjects(ctx, prepared, {
        checkpointPrefix: 'upbound.claim.create',
      });
    },
  });
}
