import * as z from 'zod/mini';
import { parseInput } from '../errors.js';

// Schemas for the option objects of the device factories. Validation only: the factories
// keep using the caller's object, so transports and clocks stay the same instances.

/** A Transport, by shape. @internal */
export const transportSchema = z.custom<unknown>(
  (t) =>
    typeof t === 'object' &&
    t !== null &&
    typeof (t as { write?: unknown }).write === 'function' &&
    typeof (t as { data$?: { subscribe?: unknown } }).data$?.subscribe === 'function' &&
    typeof (t as { connection?: unknown }).connection === 'function',
  { message: 'expected a Transport (open, close, write, data$, connection$)' },
);

/** A Clock, by shape. @internal */
export const clockSchema = z.optional(
  z.custom<unknown>(
    (c) =>
      typeof c === 'object' &&
      c !== null &&
      typeof (c as { now?: unknown }).now === 'function' &&
      typeof (c as { setTimeout?: unknown }).setTimeout === 'function',
    { message: 'expected a Clock (now, setTimeout)' },
  ),
);

/** A duration in ms (0 to one hour). @internal */
export const msSchema = z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(3_600_000)));

/** A positive integer size. @internal */
export const sizeSchema = z.optional(z.number().check(z.int(), z.minimum(1)));

/** An optional non-empty string. @internal */
export const textSchema = z.optional(z.string().check(z.minLength(1), z.maxLength(200)));

/** Reconnect options. @internal */
export const reconnectSchema = z.optional(
  z.union([
    z.boolean(),
    z.object({ delays: z.optional(z.array(z.number().check(z.minimum(0), z.maximum(3_600_000)))) }),
  ]),
);

/** Options every transport takes. @internal */
export const transportOptionsShape = {
  chunkSize: sizeSchema,
  clock: clockSchema,
  reconnect: reconnectSchema,
  label: textSchema,
};

/** Serial line settings. @internal */
export const serialLineShape = {
  baudRate: z.number().check(z.int(), z.minimum(50), z.maximum(4_000_000)),
  dataBits: z.optional(z.union([z.literal(7), z.literal(8)])),
  stopBits: z.optional(z.union([z.literal(1), z.literal(2)])),
  parity: z.optional(z.enum(['none', 'even', 'odd'])),
};

/**
 * Validates factory options; throws `KassaError` `device.invalid_input` naming the bad field.
 * @internal
 */
export function checkOptions(schema: z.ZodMiniType, options: unknown, what: string): void {
  parseInput(schema as never, options, what, 'device.invalid_input');
}
