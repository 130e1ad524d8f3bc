import { ResponseError } from '@backstage/errors';

/** The most useful message of an error: the backend's own message for a ResponseError. */
export function errorMessage(error: unknown): string {
  if (ResponseError.is(error)) {
    return error.cause?.message || error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
