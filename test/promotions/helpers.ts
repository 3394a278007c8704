import {
  type PromotionLine,
  type PromotionStageInput,
  type PromotionStageResult,
  promotionStage,
} from '../../src/cart/promotions/stage.js';
import { Decimal } from '../../src/money/decimal.js';

export interface SimpleLine {
  id: string;
  sku: string;
  price: string;
  qty?: string | number;
  categories?: string[];
  attributes?: Record<string, string>;
  unit?: string;
}

export function toLine(l: SimpleLine): PromotionLine {
  const quantity = new Decimal(l.qty ?? 1);
  const unitPrice = new Decimal(l.price);
  return {
    id: l.id,
    sku: l.sku,
    categories: l.categories ?? [],
    attributes: l.attributes ?? {},
    unit: l.unit ?? 'each',
    unitPrice,
    quantity,
    amount: unitPrice.mul(quantity).toDecimalPlaces(2, Decimal.ROUND_HALF_UP),
  };
}

export function run(
  lines: SimpleLine[],
  promotions: unknown[],
  context: Partial<PromotionStageInput['context']> = {},
): PromotionStageResult {
  return promotionStage({
    currency: 'EUR',
    step: new Decimal('0.01'),
    lines: lines.map(toLine),
    promotions,
    context: { coupons: [], ...context },
  });
}

/** Discount per line id, as strings with 2 decimals. */
export function perLine(result: PromotionStageResult): Record<string, string> {
  const out: Record<string, Decimal> = {};
  for (const a of result.adjustments) out[a.lineId] = (out[a.lineId] ?? new Decimal(0)).plus(a.amount);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.toFixed(2)]));
}

export function total(result: PromotionStageResult): string {
  let t = new Decimal(0);
  for (const a of result.adjustments) t = t.plus(a.amount);
  return t.toFixed(2);
}

export const drinks = (id: string, price: string, qty = 1, sku = `D-${id}`): SimpleLine => ({
  id,
  sku,
  price,
  qty,
  categories: ['drinks'],
});
