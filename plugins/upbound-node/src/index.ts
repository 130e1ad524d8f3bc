/**
 * Node library of the Upbound plugins: config, Space discovery, token exchange and the one
 * Kubernetes access layer.
 *
 * @packageDocumentation
 */
export * from './types';
export { upboundServiceRef } from './serviceRef';
export { wellKnownTypes, resourceType, parseApiVersion } from './kube/wellKnownTypes';
export { xrdToClaimApi, claimApiResourceTypes } from './claimApis/xrdToClaimApi';
