// Applies objects with server-side apply: CRDs and namespaces first, then the rest in waves so that
// ownerReferences and Event subjects get the real uid of the object they point at.
//
// A CRD that is new on the server is first created without its status subresource, so that each of its
// objects is written with its status in one request instead of two (half the requests of a fresh seed);
// the CRD as written is applied after its objects, and their stored status stays.
import { ApiException } from '@kubernetes/client-node';
import pLimit from 'p-limit';
import type { KubeObject, KubeRequester } from './kube.ts';

/** The fields of a CustomResourceDefinition that seeding reads. */
interface Crd extends KubeObject {
  spec: {
    group: string;
    names: { kind: string; plural: string };
    versions: Array<{ name: string; served: boolean; subresources?: { status?: object; [name: string]: unknown } }>;
  };
}

/** A reference in an object to another object, whose uid it needs. */
interface UidRef {
  target: { uid?: string };
  apiVersion: string;
  kind: string;
  namespaces: Array<string | undefined>;
  name: string;
}

const FIRST = new Set(['CustomResourceDefinition', 'Namespace']);

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

function key(apiVersion: string, kind: string, namespace: string | undefined, name: string): string {
  return `${groupOf(apiVersion)}/${kind}/${namespace ?? ''}/${name}`;
}

/** References in `obj` that need the uid of another seeded object. */
function uidRefs(obj: KubeObject): UidRef[] {
  const refs: UidRef[] = [];
  const ns = obj.metadata.namespace;
  for (const o of obj.metadata.ownerReferences ?? []) {
    if (!o.uid) refs.push({ target: o, apiVersion: o.apiVersion, kind: o.kind, namespaces: [ns, undefined], name: o.name });
  }
  for (const field of ['involvedObject', 'regarding']) {
    const o = obj[field];
    if (o && !o.uid) refs.push({ target: o, apiVersion: o.apiVersion, kind: o.kind, namespaces: [o.namespace], name: o.name });
  }
  return refs;
}

function groupKind(apiVersion: string, kind: string): string {
  return `${groupOf(apiVersion)}/${kind}`;
}

/** `crd` without the status subresource in any version. */
function withoutStatusSubresource(crd: Crd): Crd {
  const versions = crd.spec.versions.map(v => {
    if (!v.subresources?.status) return v;
    const { status, ...subresources } = v.subresources;
    return { ...v, subresources };
  });
  return { ...crd, spec: { ...crd.spec, versions } };
}

/** Waits until discovery lists the status subresource of every CRD in `crds` and their objects list. */
async function waitStatusServed(kube: KubeRequester, crds: Crd[], timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    for (const v of crd.spec.versions.filter(x => x.served && x.subresources?.status)) {
      const base = `/apis/${crd.spec.group}/${v.name}`;
      const plural = crd.spec.names.plural;
      for (;;) {
        const res = await kube.once('GET', base);
        const served = res.status === 200 && res.body.resources.some((r: { name: string }) => r.name === `${plural}/status`) &&
          (await kube.once('GET', `${base}/${plural}?limit=1`)).status === 200;
        if (served) break;
        if (Date.now() > deadline) throw new Error(`${plural}/status of ${crd.metadata.name} was not served in time`);
        await new Promise(r => setTimeout(r, 100));
      }
    }
  }
  kube.discovery.clear();
}

/**
 * Waits until every CRD in `names` is Established. The API server establishes a CRD only on an update event
 * after its names were accepted, so one left `Installing` by a start that was stopped half-way stays so after
 * a restart: such a CRD gets an annotation touched to wake it up.
 */
async function waitEstablished(kube: KubeRequester, names: string[], timeoutMs = 120000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const started = Date.now();
  for (const name of names) {
    let touched = false;
    for (;;) {
      const crd = await kube.request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
      const conditions: Array<{ type: string; status: string; reason?: string }> = crd.status?.conditions ?? [];
      if (conditions.some(c => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) {
        throw new Error(`CustomResourceDefinition ${name} was not Established in time: ${JSON.stringify(conditions)}`);
      }
      const installing = conditions.some(c => c.type === 'Established' && c.reason === 'Installing');
      if (!touched && installing && Date.now() - started > 10000) {
        touched = true;
        await kube.request('PATCH', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
          { metadata: { annotations: { 'local-space/establish-requested-at': new Date().toISOString() } } },
          'application/merge-patch+json');
      }
      await new Promise(r => setTimeout(r, 100));
    }
  }
  // Discovery may have been cached before the CRDs existed.
  kube.discovery.clear();
}

/**
 * Applies `objects` to the API server behind `kube`, `concurrency` at a time.
 * Returns the number of objects applied.
 */
export async function seedObjects(kube: KubeRequester, objects: KubeObject[], { concurrency = 16 } = {}): Promise<number> {
  const limit = pLimit(concurrency);
  const uids = new Map<string, string | undefined>();
  const crdObjects = objects.filter((o): o is Crd => o.kind === 'CustomResourceDefinition');
  const existing = crdObjects.length
    ? new Set((await kube.request<{ items: KubeObject[] }>('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions')).items.map(c => c.metadata.name))
    : new Set<string>();
  const staged = crdObjects.filter(c => !existing.has(c.metadata.name) && c.spec.versions.some(v => v.subresources?.status));
  const inline = new Set(staged.map(c => `${c.spec.group}/${c.spec.names.kind}`));
  const applyOne = async (obj: KubeObject) => {
    try {
      const options = { inlineStatus: inline.has(groupKind(obj.apiVersion, obj.kind)) };
      let applied;
      try {
        applied = await kube.apply(obj, undefined, options);
      } catch (e) {
        // Re-seeding moves relative timestamps; some (Event eventTime) are immutable: replace the object.
        if (!(e instanceof ApiException && e.code === 422 && /immutable/.test(e.body?.message ?? ''))) throw e;
        const { path: objPath } = await kube.objectPath(obj);
        await kube.request('DELETE', objPath);
        applied = await kube.apply(obj, undefined, options);
      }
      uids.set(key(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name), applied.metadata.uid);
    } catch (e) {
      if (e instanceof Error) e.message = `${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}: ${e.message}`;
      throw e;
    }
  };
  const first = objects.filter(o => FIRST.has(o.kind));
  await Promise.all(first.map(o => limit(() => applyOne(staged.includes(o as Crd) ? withoutStatusSubresource(o as Crd) : o))));
  const crds = first.filter(o => o.kind === 'CustomResourceDefinition').map(o => o.metadata.name);
  if (crds.length) await waitEstablished(kube, crds);

  const known = new Set(objects.map(o => key(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name)));
  let pending = objects.filter(o => !FIRST.has(o.kind));
  while (pending.length) {
    const ready: KubeObject[] = [];
    const later: KubeObject[] = [];
    for (const obj of pending) {
      const waiting = uidRefs(obj).some(r =>
        r.namespaces.some(ns => {
          const k = key(r.apiVersion, r.kind, ns, r.name);
          return known.has(k) && !uids.has(k);
        }),
      );
      (waiting ? later : ready).push(obj);
    }
    if (!ready.length) throw new Error(`circular references among ${later.map(o => o.metadata.name).join(', ')}`);
    await Promise.all(
      ready.map(obj =>
        limit(() => {
          for (const r of uidRefs(obj)) {
            const uid = r.namespaces.map(ns => uids.get(key(r.apiVersion, r.kind, ns, r.name))).find(Boolean);
            if (uid) r.target.uid = uid;
          }
          return applyOne(obj);
        }),
      ),
    );
    pending = later;
  }
  if (staged.length) {
    await Promise.all(staged.map(o => limit(() => applyOne(o))));
    await waitEstablished(kube, staged.map(o => o.metadata.name));
    await waitStatusServed(kube, staged);
  }
  return objects.length;
}
