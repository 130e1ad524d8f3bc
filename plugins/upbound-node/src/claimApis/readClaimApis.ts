import type { ClaimApi } from '@upbound-backstage/plugin-upbound-common';
import { KubeError, type ControlPlane } from '../types';
import { xrdToClaimApi } from './xrdToClaimApi';

/** Reads the claim APIs of a control plane from its XRDs (v1 and v2). */
export async function readClaimApis(cp: ControlPlane): Promise<ClaimApi[]> {
  const types = await cp.client.resourceTypes();
  const xrdTypes = types.filter(
    t =>
      t.group === 'apiextensions.crossplane.io' &&
      t.kind === 'CompositeResourceDefinition',
  );
  // Read as v2 where served: it reports v2 defaults (scope) faithfully; v1 otherwise.
  const xrdType =
    xrdTypes.find(t => t.version === 'v2') ??
    xrdTypes.find(t => t.version === 'v1');
  if (!xrdType) {
    throw new KubeError({
      type: 'crd-missing',
      cluster: cp.id,
      statusCode: 404,
      message: `CompositeResourceDefinition is not served by ${cp.id}; is Crossplane installed?`,
    });
  }
  const { items } = await cp.client.list(xrdType);
  return items.map(xrdToClaimApi).filter((a): a is ClaimApi => !!a);
}
