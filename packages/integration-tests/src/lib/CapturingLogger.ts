import type {
  LoggerService,
  RootLoggerService,
} from '@backstage/backend-plugin-api';
import { coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';

/** One captured log line, with its meta flattened to text so secrets can be searched for. */
export interface CapturedLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  fields: Record<string, unknown>;
  /** The message, every field and any error (with its stack and cause), as one string. */
  text: string;
  /** When it was logged (ms since the epoch). */
  at: number;
}

function flatten(value: unknown): string {
  if (value instanceof Error) {
    return `${stringifyError(value)} ${value.stack ?? ''} ${
      value.cause ? flatten(value.cause) : ''
    }`;
  }
  if (value && typeof value === 'object') {
    try {
      return JSON.stringify(value, (_k, v) =>
        v instanceof Error ? flatten(v) : v,
      );
    } catch {
      return String(value);
    }
  }
  return String(value);
}

/**
 * A root logger that keeps every line of every plugin in memory (silently), so tests can assert on
 * what was logged and that no secret ever was.
 */
export class CapturingLogger implements RootLoggerService {
  constructor(
    readonly lines: CapturedLine[] = [],
    private readonly fields: Record<string, unknown> = {},
  ) {}

  #log(level: CapturedLine['level'], message: string, meta?: unknown) {
    const extra =
      meta instanceof Error
        ? { error: meta }
        : (meta as Record<string, unknown> | undefined) ?? {};
    const fields = { ...this.fields, ...extra };
    this.lines.push({
      level,
      message,
      fields,
      text: `${message} ${flatten(fields)}`,
      at: Date.now(),
    });
  }

  error(message: string, meta?: Error | Record<string, unknown>) {
    this.#log('error', message, meta);
  }
  warn(message: string, meta?: Error | Record<string, unknown>) {
    this.#log('warn', message, meta);
  }
  info(message: string, meta?: Error | Record<string, unknown>) {
    this.#log('info', message, meta);
  }
  debug(message: string, meta?: Error | Record<string, unknown>) {
    this.#log('debug', message, meta);
  }
  child(meta: Record<string, unknown>): LoggerService {
    return new CapturingLogger(this.lines, { ...this.fields, ...meta });
  }

  /** Lines whose text matches. */
  find(pattern: RegExp | string): CapturedLine[] {
    return this.lines.filter(l =>
      typeof pattern === 'string'
        ? l.text.includes(pattern)
        : pattern.test(l.text),
    );
  }

  /** A root logger service factory that hands out this logger. */
  factory() {
    return createServiceFactory({
      service: coreServices.rootLogger,
      deps: {},
      factory: () => this,
    });
  }
}
