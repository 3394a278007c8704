import { KassaError, parseInput } from '../errors.js';
import type { CustomerErrorCode } from './error-codes.js';

/**
 * A KassaError with one of this module's codes. Messages and details name ids and field
 * paths only, never a customer's name, email or phone.
 * @internal
 */
export function customerError(
  code: CustomerErrorCode,
  message: string,
  details: ConstructorParameters<typeof KassaError>[2] = {},
): KassaError {
  return new KassaError(code, message, details);
}

/** Parses with zod; the KassaError keeps paths and zod's generic messages, never the input values. @internal */
export function parseOrThrow<T>(
  schema: Parameters<typeof parseInput<T>>[0],
  input: unknown,
  code: CustomerErrorCode,
  what: string,
): T {
  return parseInput(schema, input, what, code);
}
