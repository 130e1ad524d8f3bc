/**
 * The local Space: real etcd and kube-apiservers on loopback for development, tests and benchmarks.
 *
 * @packageDocumentation
 */
export * from './LocalSpace';
export type { LocalCrossplane } from './lib/crossplane.ts';
export type { LocalGitOps } from './lib/gitops.ts';
export type { LocalSpaceTokens } from './lib/pki.ts';
export type { LocalProcess } from './lib/processes.ts';
export type { LocalControlPlane, LocalSpaceProcess, LocalSpaceState } from './lib/space.ts';
export { KubeRequester, kubeconfigYaml, writeKubeconfig } from './lib/kube.ts';
export type { KubeconfigOptions, KubeObject, KubeResource, KubeResponse } from './lib/kube.ts';
