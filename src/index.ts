/**
 * kassa: an embeddable checkout SDK. This entry holds money, the cart and pricing engine,
 * and the errors; devices, payments and receipts live in their own subpath exports.
 * @packageDocumentation
 */

export * from './cart/index.js';
export { type Clock, createManualClock, type ManualClock, systemClock } from './clock.js';
export * from './errors.js';
export * from './money/index.js';
