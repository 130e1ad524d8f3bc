import type { LoggerService } from '@backstage/backend-plugin-api';

/**
 * Runs discovery on a timer. The Upbound service is root scoped, and the plugin-scoped scheduler
 * is not available to root services; the timer is unref'd so it never keeps a process alive.
 */
export class DiscoveryTimer {
  readonly #run: () => Promise<unknown>;
  readonly #logger: LoggerService;
  #timer?: NodeJS.Timeout;
  #stopped = false;

  constructor(run: () => Promise<unknown>, logger: LoggerService) {
    this.#run = run;
    this.#logger = logger;
  }

  /** Starts the runs; the first one after `initialDelayMs`, each next one `frequencyMs` after the last ended. */
  start(options: { frequencyMs: number; initialDelayMs?: number }): void {
    if (this.#timer || this.#stopped) return;
    const tick = async () => {
      try {
        await this.#run();
      } catch (e) {
        this.#logger.error(`Upbound discovery failed: ${(e as Error).message}`);
      }
      if (!this.#stopped) {
        this.#timer = setTimeout(tick, options.frequencyMs);
        this.#timer.unref?.();
      }
    };
    this.#timer = setTimeout(tick, options.initialDelayMs ?? 0);
    this.#timer.unref?.();
  }

  /** Stops for good (a run in flight finishes). */
  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
