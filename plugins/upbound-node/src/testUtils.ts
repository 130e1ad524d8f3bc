/**
 * Test utilities of the Upbound node library, shared by the tests of the backend plugin and
 * modules: an in-memory {@link KubeClient} with call and write logs, failure injection and
 * server-side apply per field manager, a fake {@link UpboundService} over such clients, and
 * builders for resource types and XRDs.
 *
 * @packageDocumentation
 */
export {
  InMemoryKubeClient,
  type InMemoryKubeClientOptions,
} from './testUtils/InMemoryKubeClient';
export type {
  KubeCall,
  KubeWrite,
  KubeFailureHook,
} from './testUtils/kubeCalls';
export {
  createFakeUpboundService,
  type FakeUpboundService,
  type FakeUpboundServiceOptions,
  type FakeControlPlaneSeed,
  type FakeAppClusterSeed,
} from './testUtils/createFakeUpboundService';
export { resourceTypeOf, gitOpsTypes, xrdOf } from './testUtils/resourceTypes';
// The main entry's types the test utilities' signatures use, so one import serves a test.
export type {
  AppCluster,
  ApplyOptions,
  ArgoCdInstance,
  ClusterCallStats,
  ControlPlane,
  ControlPlaneCredentials,
  FluxInstance,
  InventorySnapshot,
  KubeClient,
  KubeError,
  KubeObject,
  ListOptions,
  ListPageResult,
  ListResult,
  ResourceType,
  UpboundService,
  WatchEventType,
  WatchHandle,
  WatchHandlers,
} from './index';
