/** A quiet LoggerService for the bench: warnings and errors go to stderr, the rest is dropped. */
import type { LoggerService } from '@backstage/backend-plugin-api';

export function benchLogger(prefix = ''): LoggerService {
  const write = (level: string) => (message: string) =>
    process.stderr.write(`${prefix}${level}: ${message}\n`);
  const logger: LoggerService = {
    error: write('error'),
    warn: write('warn'),
    info: () => {},
    debug: () => {},
    child: () => logger,
  };
  return logger;
}
