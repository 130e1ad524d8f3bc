/**
 * Node library of the Upbound plugins: config, Space discovery, token exchange and the one
 * Kubernetes access layer.
 *
 * @packageDocumentation
 */
export * from './types';
export { upboundServiceRef } from './serviceRef';
