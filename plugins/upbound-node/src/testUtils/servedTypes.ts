import type { KubeObject, ResourceType } from '../types';
import {
  parseApiVersion,
  resourceType,
  wellKnownTypes,
} from '../kube/wellKnownTypes';
import {
  claimApiResourceTypes,
  xrdToClaimApi,
} from '../claimApis/xrdToClaimApi';

type TypeName = Pick<ResourceType, 'apiVersion' | 'kind'>;

function sameType(a: TypeName, b: TypeName): boolean {
  return a.apiVersion === b.apiVersion && a.kind === b.kind;
}

/** The types a CRD or XRD serves (every served version). */
function typesDefinedBy(type: ResourceType, obj: KubeObject): ResourceType[] {
  const spec = obj.spec ?? {};
  if (
    type.kind === 'CustomResourceDefinition' &&
    type.group === 'apiextensions.k8s.io'
  ) {
    return (spec.versions ?? [])
      .filter((v: any) => v?.served !== false)
      .map((v: any) =>
        resourceType({
          group: spec.group,
          version: v.name,
          kind: spec.names?.kind,
          plural: spec.names?.plural,
          namespaced: spec.scope === 'Namespaced',
        }),
      );
  }
  if (type.kind !== 'CompositeResourceDefinition') return [];
  const api = xrdToClaimApi(obj);
  if (!api) return [];
  return api.versions
    .filter(v => v.served)
    .flatMap(v => {
      const t = claimApiResourceTypes({ ...api, referenceableVersion: v.name });
      return t.claim ? [t.composite, t.claim] : [t.composite];
    });
}

/**
 * The discovery of an in-memory cluster: well-known types, extra ones, and those of the stored
 * CRDs and XRDs, minus the ones a test removed.
 */
export class ServedTypes {
  readonly #extra: ResourceType[];
  readonly #removed: TypeName[] = [];

  constructor(extra: ResourceType[] = []) {
    this.#extra = [...extra];
  }

  add(types: ResourceType[]): void {
    for (const t of types) {
      const i = this.#removed.findIndex(r => sameType(r, t));
      if (i >= 0) this.#removed.splice(i, 1);
    }
    this.#extra.push(...types);
  }

  remove(types: TypeName[]): void {
    this.#removed.push(...types);
  }

  isServed(type: TypeName): boolean {
    return !this.#removed.some(r => sameType(r, type));
  }

  /** Served types, given the stored objects (for their CRDs and XRDs). */
  served(stored: Iterable<{ type: ResourceType; obj: KubeObject }>) {
    return this.#known(stored).filter(t => this.isServed(t));
  }

  find(
    name: TypeName,
    stored: Iterable<{ type: ResourceType; obj: KubeObject }>,
  ): ResourceType | undefined {
    return this.served(stored).find(t => sameType(t, name));
  }

  /**
   * The type to store an object under when a controller writes it: a known one (served or not),
   * or one inferred from the object (plural = lower-case kind + `s`) so fixtures stay short.
   */
  forStoredObject(
    obj: KubeObject,
    stored: Iterable<{ type: ResourceType; obj: KubeObject }>,
  ): ResourceType {
    const apiVersion = obj.apiVersion ?? '';
    const kind = obj.kind ?? '';
    if (!apiVersion || !kind) {
      throw new Error(
        'InMemoryKubeClient.upsert: apiVersion and kind are required',
      );
    }
    const known = this.#known(stored).find(t =>
      sameType(t, { apiVersion, kind }),
    );
    if (known) return known;
    const inferred = resourceType({
      ...parseApiVersion(apiVersion),
      kind,
      plural: `${kind.toLowerCase()}s`,
      namespaced: !!obj.metadata?.namespace,
    });
    this.#extra.push(inferred);
    return inferred;
  }

  #known(
    stored: Iterable<{ type: ResourceType; obj: KubeObject }>,
  ): ResourceType[] {
    const types: ResourceType[] = [
      ...Object.values(wellKnownTypes),
      ...this.#extra,
    ];
    for (const { type, obj } of stored)
      types.push(...typesDefinedBy(type, obj));
    const seen = new Set<string>();
    return types.filter(t => {
      const k = `${t.apiVersion}/${t.kind}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
}
