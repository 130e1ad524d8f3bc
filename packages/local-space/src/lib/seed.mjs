// Applies objects with server-side apply: CRDs and namespaces first, then the rest in waves so that
// ownerReferences and Event subjects get the real uid of the object they point at.
import pLimit from 'p-limit';

const FIRST = new Set(['CustomResourceDefinition', 'Namespace']);

function groupOf(apiVersion) {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

function key(apiVersion, kind, namespace, name) {
  return `${groupOf(apiVersion)}/${kind}/${namespace ?? ''}/${name}`;
}

/** References in `obj` that need the uid of another seeded object. */
function uidRefs(obj) {
  const refs = [];
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

async function waitEstablished(kube, names, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (const name of names) {
    for (;;) {
      const crd = await kube.request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
      if (crd.status?.conditions?.some(c => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CustomResourceDefinition ${name} was not Established in time`);
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
export async function seedObjects(kube, objects, { concurrency = 16 } = {}) {
  const limit = pLimit(concurrency);
  const uids = new Map();
  const applyOne = async obj => {
    try {
      let applied;
      try {
        applied = await kube.apply(obj);
      } catch (e) {
        // Re-seeding moves relative timestamps; some (Event eventTime) are immutable: replace the object.
        if (e.statusCode !== 422 || !/immutable/.test(e.message)) throw e;
        const { path: objPath } = await kube.objectPath(obj);
        await kube.request('DELETE', objPath);
        applied = await kube.apply(obj);
      }
      uids.set(key(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name), applied.metadata.uid);
    } catch (e) {
      e.message = `${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}: ${e.message}`;
      throw e;
    }
  };
  const first = objects.filter(o => FIRST.has(o.kind));
  await Promise.all(first.map(o => limit(() => applyOne(o))));
  const crds = first.filter(o => o.kind === 'CustomResourceDefinition').map(o => o.metadata.name);
  if (crds.length) await waitEstablished(kube, crds);

  const known = new Set(objects.map(o => key(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name)));
  let pending = objects.filter(o => !FIRST.has(o.kind));
  while (pending.length) {
    const ready = [];
    const later = [];
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
  return objects.length;
}
