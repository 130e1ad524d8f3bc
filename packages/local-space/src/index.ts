/**
 * The local Space: real etcd and kube-apiservers on loopback for development, tests and benchmarks.
 *
 * @packageDocumentation
 */
export * from './LocalSpace';
export type * from './types';
