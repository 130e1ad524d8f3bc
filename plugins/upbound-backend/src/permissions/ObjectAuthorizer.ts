import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  claimEntityName,
  CROSSPLANE_CLAIM_NAME_LABEL,
  CROSSPLANE_CLAIM_NAMESPACE_LABEL,
  CROSSPLANE_COMPOSITE_LABEL,
  type ClaimSummary,
} from '@upbound-backstage/plugin-upbound-common';
import type {
  ControlPlane,
  KubeObject,
  UpboundService,
} from '@upbound-backstage/plugin-upbound-node';
import type { ClaimService } from '../service/ClaimService';
import type { ObjectRef } from '../service/graphModel';

/** How far up controller ownerReferences an object is followed to its composite. */
const MAX_OWNER_DEPTH = 16;

type EntityPermission = ResourcePermission<'catalog-entity'>;

/** The claim or namespaced XR (what the catalog has an entity for) an object belongs to. */
export interface RootObject {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The catalog entity ref of a claim or namespaced XR, as the catalog module names it. */
export function rootEntityRef(cp: ControlPlane, root: RootObject): string {
  return stringifyEntityRef({
    kind: 'Resource',
    namespace: 'default',
    name: claimEntityName({
      controlPlaneId: cp.id,
      controlPlaneName: cp.name,
      kind: root.kind,
      namespace: root.namespace,
      name: root.name,
    }),
  });
}

/**
 * One authorization rule per object: whatever URL reaches a claim, composite or managed resource,
 * `upbound.claim.read` / `update` is decided on the catalog entity of the claim (or namespaced XR)
 * it belongs to, exactly as the entity routes do. An unconditional decision needs no lookup; a
 * conditional one is applied to that entity by the permission framework. Objects that belong to
 * no such entity pass only an unconditional ALLOW.
 */
export class ObjectAuthorizer {
  constructor(
    private readonly permissions: PermissionsService,
    private readonly upbound: UpboundService,
    private readonly claims: ClaimService,
  ) {}

  async authorizeObject(options: {
    credentials: BackstageCredentials;
    permission: EntityPermission;
    cp: ControlPlane;
    ref: ObjectRef;
  }): Promise<void> {
    const { credentials, permission, cp, ref } = options;
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return;
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
    const root = await this.rootOf(cp, ref);
    if (!root) {
      throw new NotAllowedError(
        `Not allowed: ${permission.name}; ${ref.kind} ${ref.name} belongs to no claim or composite resource in the catalog, so only an unconditional grant reaches it`,
      );
    }
    const resourceRef = rootEntityRef(cp, root);
    const [result] = await this.permissions.authorize(
      [{ permission, resourceRef }],
      { credentials },
    );
    if (result.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${permission.name} on ${resourceRef}`,
      );
    }
  }

  /** The claims of a list the caller may read (all, none, or decided per claim entity). */
  async filterClaims(
    credentials: BackstageCredentials,
    permission: EntityPermission,
    cp: ControlPlane,
    items: ClaimSummary[],
  ): Promise<ClaimSummary[]> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return items;
    if (decision.result === AuthorizeResult.DENY || items.length === 0) {
      return [];
    }
    const results = await this.permissions.authorize(
      items.map(c => ({ permission, resourceRef: rootEntityRef(cp, c) })),
      { credentials },
    );
    return items.filter((_, i) => results[i].result === AuthorizeResult.ALLOW);
  }

  /**
   * The claim or namespaced XR an object belongs to: the object itself when its kind is one the
   * catalog lists; else the composite its controller ownerReference (or, without one, its
   * Crossplane labels) leads to, up to the composite's claim when it has one. Ambiguous or missing
   * links give undefined: the object then needs an unconditional grant.
   */
  async rootOf(
    cp: ControlPlane,
    ref: ObjectRef,
  ): Promise<RootObject | undefined> {
    const targets = await this.claims.targets(cp);
    const apis = await this.upbound.claimApis(cp.id);
    const isRootKind = (apiVersion: string, kind: string) =>
      targets.some(t => t.api.group === groupOf(apiVersion) && t.kind === kind);
    const asRoot = (r: RootObject): RootObject => ({
      apiVersion: r.apiVersion,
      kind: r.kind,
      name: r.name,
      ...(r.namespace ? { namespace: r.namespace } : {}),
    });
    if (isRootKind(ref.apiVersion, ref.kind)) return asRoot(ref);

    /** The one object of these kinds with this name, or undefined when none or several exist. */
    const findOne = async (
      kinds: Array<{ apiVersion: string; kind: string }>,
      name: string,
      namespace?: string,
    ): Promise<RootObject | undefined> => {
      const found: RootObject[] = [];
      for (const k of kinds) {
        const candidate: RootObject = {
          apiVersion: k.apiVersion,
          kind: k.kind,
          name,
          ...(namespace ? { namespace } : {}),
        };
        if (await this.#get(cp, candidate).catch(() => undefined)) {
          found.push(candidate);
        }
      }
      return found.length === 1 ? found[0] : undefined;
    };
    const claimKinds = targets.filter(t => t.type === 'claim');
    const compositeKinds = apis.map(a => ({
      apiVersion: `${a.group}/${a.referenceableVersion ?? a.versions[0]?.name}`,
      kind: a.kind,
    }));

    let current: RootObject = ref;
    let obj = await this.#get(cp, current);
    for (let depth = 0; obj && depth < MAX_OWNER_DEPTH; depth++) {
      const claimRef = obj.spec?.claimRef;
      if (claimRef?.kind && claimRef?.name && claimRef?.apiVersion) {
        return isRootKind(claimRef.apiVersion, claimRef.kind)
          ? asRoot(claimRef)
          : undefined;
      }
      const labels = obj.metadata?.labels ?? {};
      const namespace = obj.metadata?.namespace;
      const owner = obj.metadata?.ownerReferences?.find(o => o.controller);
      let next: RootObject | undefined;
      if (owner) {
        next = {
          apiVersion: owner.apiVersion,
          kind: owner.kind,
          name: owner.name,
          ...(namespace ? { namespace } : {}),
        };
      } else if (
        labels[CROSSPLANE_CLAIM_NAME_LABEL] &&
        labels[CROSSPLANE_CLAIM_NAMESPACE_LABEL]
      ) {
        return findOne(
          claimKinds,
          labels[CROSSPLANE_CLAIM_NAME_LABEL],
          labels[CROSSPLANE_CLAIM_NAMESPACE_LABEL],
        );
      } else if (
        labels[CROSSPLANE_COMPOSITE_LABEL] &&
        labels[CROSSPLANE_COMPOSITE_LABEL] !== obj.metadata?.name
      ) {
        next = await findOne(
          compositeKinds,
          labels[CROSSPLANE_COMPOSITE_LABEL],
          namespace,
        );
      } else {
        return isRootKind(current.apiVersion, current.kind)
          ? asRoot(current)
          : undefined;
      }
      if (!next) return undefined;
      current = next;
      if (isRootKind(current.apiVersion, current.kind)) return asRoot(current);
      obj = await this.#get(cp, current);
    }
    return undefined;
  }

  async #get(
    cp: ControlPlane,
    ref: RootObject,
  ): Promise<KubeObject | undefined> {
    const type = await cp.client.resolve(ref.apiVersion, ref.kind);
    if (type.namespaced && !ref.namespace) return undefined;
    return cp.client.tryGet(
      type,
      ref.name,
      type.namespaced ? ref.namespace : undefined,
    );
  }
}
