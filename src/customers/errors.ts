import type { ZodError } from 'zod';
import type { $ZodError } from 'zod/v4/core';
import { fromZodError, KassaError, type KassaErrorCode } from '../errors.js';
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
  // The cast is needed until CustomerErrorCode is part of KassaErrorCode in src/errors.ts.
  return new KassaError(code as unknown as KassaErrorCode, message, details);
}

/** Parses with zod; the KassaError keeps paths and zod's generic messages, never the input values. @internal */
export function parseOrThrow<T>(
  schema: { safeParse(input: unknown): { success: true; data: T } | { success: false; error: $ZodError } },
  input: unknown,
  code: CustomerErrorCode,
  what: string,
): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw fromZodError(result.error as ZodError, code as unknown as KassaErrorCode, what);
}
