import * as z from 'zod/mini';
import type { LoyaltyProgram } from '../cart/loyalty/schema.js';
import { Decimal } from '../money/decimal.js';
import { parseOrThrow } from './errors.js';
import { tierFor } from './loyalty.js';

/** A tax exemption (a charity, a diplomat, a reseller) and the certificate that proves it. */
export interface TaxExemption {
  /** The certificate's reference, printed on the receipt and kept for audits. */
  certificate: string;
  reason?: string;
  /** Region or authority that issued it. */
  region?: string;
  /** ISO 8601 date-time with offset; the exemption ends at this instant. */
  validUntil?: string;
}

/**
 * A customer record. `name`, `email` and `phone` are personal data: kassa never puts them
 * into errors, warnings, a priced cart or a journal; only `id` and `groups` reach the cart.
 */
export interface Customer {
  id: string;
  name: string;
  email?: string;
  phone?: string;
  /** Customer groups (`'wholesale'`, `'staff'`): they pick price lists and promotions. */
  groups: readonly string[];
  taxExemption?: TaxExemption;
}

const shortText = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

/** The zod schema of a customer record (`groups` defaults to `[]`). */
export const customerSchema = z.strictObject({
  id: shortText(64),
  name: shortText(200),
  email: z.exactOptional(z.email()),
  phone: z.exactOptional(z.string().check(z.regex(/^\+?[0-9 ()./-]{3,32}$/, 'Invalid phone number'))),
  groups: z._default(z.array(shortText(64)).check(z.maxLength(50)), []),
  taxExemption: z.exactOptional(
    z.strictObject({
      certificate: shortText(64),
      reason: z.exactOptional(shortText(200)),
      region: z.exactOptional(shortText(64)),
      validUntil: z.exactOptional(z.iso.datetime({ offset: true })),
    }),
  ),
});

/**
 * Validates a customer record.
 * @throws KassaError `customer.invalid` with the field path; the message never repeats the value
 */
export function parseCustomer(input: unknown): Customer {
  return parseOrThrow(customerSchema, input, 'customer.invalid', 'customer') as Customer;
}

/** Is the customer tax exempt at `at`? Without `at`, an exemption with an end date is not trusted. */
export function isTaxExempt(customer: Pick<Customer, 'taxExemption'>, at?: string): boolean {
  const ex = customer.taxExemption;
  if (ex === undefined) return false;
  if (ex.validUntil === undefined) return true;
  if (at === undefined) return false;
  return Date.parse(at) < Date.parse(ex.validUntil);
}

/** What a cart needs to know about a customer: no personal data. Matches the cart's `setCustomer`. */
export interface CartCustomerRef {
  id: string;
  groups: string[];
  taxExempt: boolean;
}

/** Options of {@link toCartCustomer}. */
export interface ToCartCustomerOptions {
  /** ISO 8601 time of the sale, to check the exemption's end date. */
  at?: string;
  /** With `lifetimePoints`, adds the customer's loyalty tier id to the groups. */
  program?: LoyaltyProgram;
  lifetimePoints?: string | number;
}

/**
 * The cart's view of a customer: id, groups (plus the loyalty tier) and tax exemption.
 *
 * @example
 * ```ts
 * cart.setCustomer(toCartCustomer(customer, { at: new Date().toISOString(), program, lifetimePoints }));
 * ```
 */
export function toCartCustomer(customer: Customer, options: ToCartCustomerOptions = {}): CartCustomerRef {
  const c = parseCustomer(customer);
  const groups = [...new Set(c.groups)];
  if (options.program !== undefined && options.lifetimePoints !== undefined) {
    const tier = tierFor(options.program, new Decimal(options.lifetimePoints));
    if (tier !== undefined && !groups.includes(tier.id)) groups.push(tier.id);
  }
  return { id: c.id, groups, taxExempt: isTaxExempt(c, options.at) };
}

/** A cart that customers can be attached to (the cart store of `createCart`). */
export interface CustomerAttachable {
  setCustomer(customer: { id: string; groups?: readonly string[]; taxExempt?: boolean } | undefined): void;
}

/**
 * Attaches a customer to a cart: the cart re-prices with the customer's price lists,
 * promotions and tax exemption. Only the id, groups and exemption flag reach the cart.
 */
export function attachCustomer(
  cart: CustomerAttachable,
  customer: Customer,
  options: ToCartCustomerOptions = {},
): void {
  cart.setCustomer(toCartCustomer(customer, options));
}

/** Detaches the customer: the cart re-prices without customer prices, promotions or exemption. */
export function detachCustomer(cart: CustomerAttachable): void {
  cart.setCustomer(undefined);
}

/** A copy safe to log: personal data replaced, id, groups and the exemption reference kept. */
export function redactCustomer(customer: Customer): Record<string, unknown> {
  return {
    id: customer.id,
    name: '[redacted]',
    ...(customer.email === undefined ? {} : { email: '[redacted]' }),
    ...(customer.phone === undefined ? {} : { phone: '[redacted]' }),
    groups: [...customer.groups],
    ...(customer.taxExemption === undefined ? {} : { taxExemption: { ...customer.taxExemption } }),
  };
}
