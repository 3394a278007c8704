import { priceCart } from '../../src/cart/index.js';
import type { CartInput, LineInput, PricedCart, PricingRules, TaxInput } from '../../src/cart/types.js';

/** A line with sensible defaults; `taxes` given directly. */
export function line(
  id: string,
  unitPrice: string,
  quantity: string | number,
  taxes: TaxInput[] = [],
  extra: Partial<LineInput> = {},
): LineInput {
  return { id, sku: `sku-${id}`, unitPrice, quantity, ...(taxes.length > 0 ? { taxes } : {}), ...extra };
}

export function price(
  currency: string,
  lines: LineInput[],
  rules: PricingRules = {},
  extra: Partial<CartInput> = {},
): PricedCart {
  return priceCart({ currency, lines, ...extra }, rules);
}

/** Tax amounts of a line, in tax order. */
export function taxAmounts(cart: PricedCart, lineIndex = 0): string[] {
  return cart.lines[lineIndex]!.taxes.map((t) => t.amount);
}

/** Tax bases of a line, in tax order. */
export function taxBases(cart: PricedCart, lineIndex = 0): string[] {
  return cart.lines[lineIndex]!.taxes.map((t) => t.base);
}

export const pct = (id: string, rate: string, extra: Partial<TaxInput> = {}): TaxInput => ({
  id,
  rate,
  ...extra,
});
export const fixed = (id: string, amount: string, extra: Partial<TaxInput> = {}): TaxInput => ({
  id,
  kind: 'fixed',
  amount,
  ...extra,
});
export const division = (id: string, rate: string, extra: Partial<TaxInput> = {}): TaxInput => ({
  id,
  kind: 'division',
  rate,
  ...extra,
});
