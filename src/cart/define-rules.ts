import { parseInput } from '../errors.js';
import { isDefined, markDefined } from './define.js';
import { pricingRulesSchema, taxCategoriesSchema } from './schemas.js';
import type { PricingRules, TaxInput } from './types.js';

/**
 * Validates tax categories once and returns them frozen, for `rules.taxCategories`.
 *
 * @example
 * ```ts
 * const taxCategories = defineTaxRules({
 *   standard: [{ id: 'vat-21', rate: '21' }],
 *   reduced: [{ id: 'vat-9', rate: '9' }],
 * });
 * ```
 * @throws KassaError `validation.*` with the path of the bad field.
 */
export function defineTaxRules(
  taxCategories: Readonly<Record<string, readonly TaxInput[]>>,
): Readonly<Record<string, readonly TaxInput[]>> {
  if (isDefined(taxCategories)) return taxCategories;
  return markDefined(parseInput(taxCategoriesSchema, taxCategories, 'tax rules'));
}

/**
 * Validates pricing rules once and returns them frozen: `priceCart` and `createCart` then use
 * them without validating them again. A rules object that did not come from here is
 * validated on every call, so an object edited in place is always read as it is now.
 *
 * Promotions, price lists and a loyalty program are validated by their own stages; define
 * them with `definePromotions`, `definePriceLists` and `defineLoyaltyProgram` to skip that
 * too (they are not frozen here, as they may be objects the caller still owns).
 *
 * @example
 * ```ts
 * const rules = definePricingRules({
 *   taxCategories: { standard: [{ id: 'vat-21', rate: '21' }] },
 *   rounding: { mode: 'half-even' },
 * });
 * // or, checked by the compiler only: const rules = { ... } satisfies PricingRules;
 * ```
 * @throws KassaError `validation.*` with the path of the bad field.
 */
export function definePricingRules(rules: PricingRules): Readonly<PricingRules> {
  if (isDefined(rules)) return rules;
  const parsed = parseInput(pricingRulesSchema, rules, 'pricing rules');
  if (parsed.taxCategories) markDefined(parsed.taxCategories);
  if (parsed.rounding) markDefined(parsed.rounding);
  if (parsed.couponUsage) markDefined(parsed.couponUsage);
  // The lists are copies; their items may be the caller's own objects, left unfrozen.
  if (parsed.promotions) Object.freeze(parsed.promotions);
  if (parsed.priceLists) Object.freeze(parsed.priceLists);
  return markDefined(parsed, false);
}
