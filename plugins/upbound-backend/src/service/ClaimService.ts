import { InputError } from '@backstage/errors';
import {
  conditionsOf,
  CONNECTOR_LABEL_APP_CLUSTER,
  CONNECTOR_LABEL_APP_NAMESPACE,
  CONNECTOR_LABEL_APP_RESOURCE_NAME,
  CROSSPLANE_PAUSED_ANNOTATION,
  summarizeCondition,
  type ClaimApi,
  type ClaimList,
  type ClaimListQuery,
  type ClaimSummary,
  type ClusterError,
  gitOpsOriginOf,
} from '@upbound-backstage/plugin-upbound-common';
import type {
  ControlPlane,
  KubeObject,
  ResourceType,
  UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import { toClusterError } from '@upbound-backstage/plugin-upbound-node';

/** The kubectl annotation that repeats the whole object; dropped from every response. */
export const LAST_APPLIED_ANNOTATION =
  'kubectl.kubernetes.io/last-applied-configuration';
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 500;

/** What a user consumes of a claim API: its claim (legacy) or its namespaced XR (v2). @public */
export interface ClaimTarget {
  api: ClaimApi;
  type: 'claim' | 'composite';
  apiVersion: string;
  kind: string;
}

/** The claim (or namespaced XR) kind a user creates for a claim API; undefined for cluster-scoped v2 XRs. @public */
export function claimTargetOf(api: ClaimApi): ClaimTarget | undefined {
  const version =
    api.referenceableVersion ??
    api.versions.find(v => v.served)?.name ??
    api.versions[0]?.name;
  if (!version) return undefined;
  const apiVersion = `${api.group}/${version}`;
  if (api.claimKind)
    return { api, type: 'claim', apiVersion, kind: api.claimKind };
  if (api.scope === 'Namespaced')
    return { api, type: 'composite', apiVersion, kind: api.kind };
  return undefined;
}

/** A claim or namespaced XR as the wire type, without managed fields or the last-applied copy. @public */
export function toClaimSummary(
  controlPlaneId: string,
  target: Pick<ClaimTarget, 'type' | 'apiVersion' | 'kind'>,
  obj: KubeObject,
): ClaimSummary {
  const conditions = conditionsOf(obj);
  const spec = obj.spec ?? {};
  const labels = obj.metadata?.labels;
  const annotations = { ...(obj.metadata?.annotations ?? {}) };
  delete annotations[LAST_APPLIED_ANNOTATION];
  const summary: ClaimSummary = {
    controlPlaneId,
    apiVersion: obj.apiVersion ?? target.apiVersion,
    kind: obj.kind ?? target.kind,
    name: obj.metadata?.name ?? '',
    ...(obj.metadata?.namespace ? { namespace: obj.metadata.namespace } : {}),
    type: target.type,
    uid: obj.metadata?.uid,
    ready: summarizeCondition(conditions, 'Ready'),
    synced: summarizeCondition(conditions, 'Synced'),
    createdAt: obj.metadata?.creationTimestamp,
    paused: annotations[CROSSPLANE_PAUSED_ANNOTATION] === 'true',
  };
  const compositionName =
    spec.compositionRef?.name ?? spec.crossplane?.compositionRef?.name;
  if (compositionName) summary.compositionName = compositionName;
  const secret = spec.writeConnectionSecretToRef?.name;
  if (secret) summary.connectionSecretName = secret;
  if (spec.resourceRef?.name) {
    summary.resourceRef = {
      apiVersion: spec.resourceRef.apiVersion,
      kind: spec.resourceRef.kind,
      name: spec.resourceRef.name,
    };
  }
  if (labels && Object.keys(labels).length) summary.labels = labels;
  if (Object.keys(annotations).length) summary.annotations = annotations;
  const appCluster = labels?.[CONNECTOR_LABEL_APP_CLUSTER];
  if (appCluster) {
    summary.connector = {
      appCluster,
      appNamespace: labels?.[CONNECTOR_LABEL_APP_NAMESPACE],
      appName: labels?.[CONNECTOR_LABEL_APP_RESOURCE_NAME],
    };
  }
  const gitops = gitOpsOriginOf({ labels, annotations });
  if (gitops) summary.gitops = gitops;
  return summary;
}

function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  try {
    const { o } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Number.isInteger(o) && o >= 0) return o;
  } catch {
    // fall through
  }
  throw new InputError('cursor is not a cursor returned by this API');
}

/**
 * Lists claims and v2 namespaced XRs of a control plane: one LIST per claim API, in parallel
 * (the access layer bounds concurrency). A failing API becomes an entry in `errors`.
 * @public
 */
export class ClaimService {
  constructor(private readonly upbound: UpboundService) {}

  /** Claim targets of the control plane, optionally narrowed to one `<group>/<kind>`. */
  async targets(cp: ControlPlane, api?: string): Promise<ClaimTarget[]> {
    const apis = await this.upbound.claimApis(cp.id);
    const targets = apis
      .map(claimTargetOf)
      .filter((t): t is ClaimTarget => !!t);
    if (!api) return targets;
    const slash = api.lastIndexOf('/');
    if (slash <= 0) throw new InputError('api must be <group>/<kind>');
    const group = api.slice(0, slash);
    const kind = api.slice(slash + 1);
    return targets.filter(
      t => t.api.group === group && (t.kind === kind || t.api.kind === kind),
    );
  }

  /** Every claim/namespaced XR of the given targets, with per-API errors. */
  async listAll(
    cp: ControlPlane,
    targets: ClaimTarget[],
    namespace?: string,
  ): Promise<{ items: ClaimSummary[]; errors: ClusterError[] }> {
    const errors: ClusterError[] = [];
    const results = await Promise.all(
      targets.map(async target => {
        try {
          const type: ResourceType = await cp.client.resolve(
            target.apiVersion,
            target.kind,
          );
          const { items } = await cp.client.list(
            type,
            namespace ? { namespace } : {},
          );
          return items.map(o => toClaimSummary(cp.id, target, o));
        } catch (e) {
          errors.push(toClusterError(cp.id, e));
          return [];
        }
      }),
    );
    return { items: results.flat(), errors };
  }

  /**
   * One page of the filtered list, sorted by namespace, name and kind for stable paging.
   * `visible` drops the claims the caller may not read before paging.
   */
  async list(
    cp: ControlPlane,
    filter: ClaimListQuery,
    visible?: (items: ClaimSummary[]) => Promise<ClaimSummary[]>,
  ): Promise<ClaimList> {
    const limit = Math.min(
      Math.max(filter.limit ?? DEFAULT_PAGE_SIZE, 1),
      MAX_PAGE_SIZE,
    );
    const offset = decodeCursor(filter.cursor);
    const targets = await this.targets(cp, filter.api);
    const listed = await this.listAll(cp, targets, filter.namespace);
    const { errors } = listed;
    const items = visible ? await visible(listed.items) : listed.items;
    const matching = items
      .filter(c => !filter.ready || c.ready.state === filter.ready)
      .filter(c => !filter.synced || c.synced.state === filter.synced)
      .sort(
        (a, b) =>
          (a.namespace ?? '').localeCompare(b.namespace ?? '') ||
          a.name.localeCompare(b.name) ||
          a.kind.localeCompare(b.kind),
      );
    const page = matching.slice(offset, offset + limit);
    return {
      items: page,
      totalCount: matching.length,
      ...(offset + limit < matching.length
        ? { nextCursor: encodeCursor(offset + limit) }
        : {}),
      errors,
    };
  }
}
