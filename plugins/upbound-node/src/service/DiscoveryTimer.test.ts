import { mockServices } from '@backstage/backend-test-utils';
import { DiscoveryTimer } from './DiscoveryTimer';

describe('DiscoveryTimer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs after the initial delay, then every period after the last run, until stopped', async () => {
    const run = jest.fn(async () => {});
    const timer = new DiscoveryTimer(run, mockServices.logger.mock());
    timer.start({ frequencyMs: 1_000, initialDelayMs: 500 });
    timer.start({ frequencyMs: 10 }); // already started: ignored
    await jest.advanceTimersByTimeAsync(499);
    expect(run).toHaveBeenCalledTimes(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(run).toHaveBeenCalledTimes(2);
    timer.stop();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(run).toHaveBeenCalledTimes(2);
    // Stopped for good.
    timer.start({ frequencyMs: 1_000 });
    await jest.advanceTimersByTimeAsync(5_000);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('logs a failed run and keeps going', async () => {
    const logger = mockServices.logger.mock();
    const run = jest
      .fn<Promise<void>, []>()
      .mockRejectedValueOnce(new Error('hub down'))
      .mockResolvedValue();
    const timer = new DiscoveryTimer(run, logger);
    timer.start({ frequencyMs: 1_000 });
    await jest.advanceTimersByTimeAsync(0);
    expect(logger.error).toHaveBeenCalledWith(
      'Upbound discovery failed: hub down',
    );
    await jest.advanceTimersByTimeAsync(1_000);
    expect(run).toHaveBeenCalledTimes(2);
    timer.stop();
  });
});
