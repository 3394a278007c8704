import { KassaError, parseInput } from '../../errors.js';
import type { PromotionErrorCode } from './error-codes.js';

/** Builds a KassaError with one of this module's codes. @internal */
export function rulesError(
  code: PromotionErrorCode,
  message: string,
  details: ConstructorParameters<typeof KassaError>[2] = {},
): KassaError {
  return new KassaError(code, message, details);
}

/**
 * Parses with a zod schema and throws a KassaError with `code` and the offending path,
 * prefixed with `prefix` (the position of the item in the caller's list).
 * @internal
 */
export function parseWith<T>(
  schema: Parameters<typeof parseInput<T>>[0],
  input: unknown,
  code: PromotionErrorCode,
  what: string,
  prefix: (string | number)[] = [],
): T {
  try {
    return parseInput(schema, input, what, code);
  } catch (error) {
    throw error instanceof KassaError ? prefixed(error, prefix) : error;
  }
}

/** A copy of a KassaError with every path prefixed. @internal */
export function prefixed(error: KassaError, prefix: (string | number)[]): KassaError {
  if (prefix.length === 0) return error;
  const issues = (error.details.issues ?? []).map((i) => ({ ...i, path: [...prefix, ...i.path] }));
  const path = [...prefix, ...(error.details.path ?? [])];
  const where = path.join('.');
  const message = error.message.replace(/^(Invalid [^:]*?)( at [^:]*)?:/, `$1 at ${where}:`);
  return new KassaError(error.code, message, { ...error.details, issues, path });
}
