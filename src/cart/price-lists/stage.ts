import type { Decimal } from '../../money/decimal.js';
import type { PricingWarning } from '../types.js';

/** A line as the price-list stage sees it, before overrides, discounts and promotions. */
export interface PriceListLine {
  id: string;
  sku: string;
  categories: readonly string[];
  unit: string;
  /** The entered unit price. */
  unitPrice: Decimal;
  quantity: Decimal;
}

/** Input of the price-list stage. Pure data. */
export interface PriceListStageInput {
  currency: string;
  lines: readonly PriceListLine[];
  /** Raw price lists from `rules.priceLists`; the stage validates them. */
  priceLists: readonly unknown[];
  context: { at?: string; channel?: string; customer?: { id: string; groups: readonly string[] } };
}

/** The resolved unit price of a line, when a price list changed it. */
export interface PriceListResolution {
  lineId: string;
  unitPrice: Decimal;
  priceListId: string;
  label: string;
}

/** Output of the price-list stage. */
export interface PriceListStageResult {
  prices: PriceListResolution[];
  warnings: PricingWarning[];
}

/**
 * Resolves base prices through price lists (customer groups, quantity breaks, validity).
 * @internal called by `priceCart`.
 */
export function priceListStage(input: PriceListStageInput): PriceListStageResult {
  return {
    prices: [],
    warnings: input.priceLists.map((_, i) => ({
      code: 'price_list.unsupported',
      message: 'price lists are not evaluated yet',
      path: ['priceLists', i],
    })),
  };
}
