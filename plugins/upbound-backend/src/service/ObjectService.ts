import { InputError, NotFoundError } from '@backstage/errors';
import type {
  KubeClient,
  KubeObject,
} from '@upbound-backstage/plugin-upbound-node';
import { stringify } from 'yaml';
import { LAST_APPLIED_ANNOTATION } from './ClaimService';
import type { ObjectRef } from './graphModel';

/** Refuses Secrets before any cluster call: their data never leaves the backend. @public */
export function assertNotSecret(
  ref: Pick<ObjectRef, 'apiVersion' | 'kind'>,
): void {
  if (ref.apiVersion === 'v1' && ref.kind === 'Secret') {
    throw new InputError('Secrets are not served by this API');
  }
}

/** A copy without metadata.managedFields and the last-applied annotation. @public */
export function sanitizeObject(obj: KubeObject): KubeObject {
  const copy = structuredClone(obj);
  if (copy.metadata) {
    delete copy.metadata.managedFields;
    if (copy.metadata.annotations) {
      delete copy.metadata.annotations[LAST_APPLIED_ANNOTATION];
      if (Object.keys(copy.metadata.annotations).length === 0) {
        delete copy.metadata.annotations;
      }
    }
  }
  return copy;
}

/**
 * Reads one object of a control plane as JSON and YAML for display.
 * @public
 */
export class ObjectService {
  async get(
    client: KubeClient,
    ref: ObjectRef,
  ): Promise<{ object: KubeObject; yaml: string }> {
    assertNotSecret(ref);
    const type = await client.resolve(ref.apiVersion, ref.kind);
    // Resolution may land on a Secret through an alias; check what discovery says too.
    assertNotSecret(type);
    const obj = await client.tryGet(
      type,
      ref.name,
      type.namespaced ? ref.namespace : undefined,
    );
    if (!obj) {
      throw new NotFoundError(
        `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${
          ref.name
        } not found in ${client.clusterId}`,
      );
    }
    if (obj.kind === 'Secret' && (obj.apiVersion ?? 'v1') === 'v1') {
      throw new InputError('Secrets are not served by this API');
    }
    const object = sanitizeObject(obj);
    return { object, yaml: stringify(object) };
  }
}
