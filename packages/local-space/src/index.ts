/**
 * The local Space: real etcd and kube-apiservers on loopback for development, tests and benchmarks.
 *
 * @packageDocumentation
 */
export * from './LocalSpace';
export type * from './types';
export { KubeRequester, kubeconfigYaml, writeKubeconfig } from './lib/kube.ts';
export type { KubeconfigOptions, KubeObject, KubeResource, KubeResponse } from './lib/kube.ts';
