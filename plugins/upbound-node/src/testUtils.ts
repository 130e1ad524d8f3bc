/**
 * Test utilities of the Upbound node library: an in-memory {@link KubeClient} and a fake
 * {@link UpboundService} for unit tests of the backend plugin and modules.
 *
 * @packageDocumentation
 */
export {
  InMemoryKubeClient,
  type InMemoryKubeClientOptions,
} from './testUtils/InMemoryKubeClient';
export {
  createFakeUpboundService,
  type FakeUpboundService,
  type FakeUpboundServiceOptions,
  type FakeControlPlaneSeed,
  type FakeAppClusterSeed,
} from './testUtils/createFakeUpboundService';
