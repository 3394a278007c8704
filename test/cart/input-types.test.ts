import { describe, expectTypeOf, it } from 'vitest';
import type * as z from 'zod/mini';
import type {
  cartDiscountInputSchema,
  cartInputSchema,
  discountInputSchema,
  lineInputSchema,
  pricingRulesSchema,
  taxInputSchema,
} from '../../src/cart/schemas.js';
import type {
  CartDiscountInput,
  CartInput,
  DiscountInput,
  LineInput,
  PricingRules,
  TaxInput,
} from '../../src/cart/types.js';

// The schemas are the one definition of the cart's input: `tsc` (part of `npm test`) fails
// here when a documented input type and its schema disagree, in either direction.
describe('the input types are the schemas’ types (issue #11 §3)', () => {
  it('each documented input type equals what its schema parses to', () => {
    expectTypeOf<z.output<typeof taxInputSchema>>().toEqualTypeOf<TaxInput>();
    expectTypeOf<z.output<typeof discountInputSchema>>().toEqualTypeOf<DiscountInput>();
    expectTypeOf<z.output<typeof cartDiscountInputSchema>>().toEqualTypeOf<CartDiscountInput>();
    expectTypeOf<z.output<typeof lineInputSchema>>().toEqualTypeOf<LineInput>();
    expectTypeOf<z.output<typeof cartInputSchema>>().toEqualTypeOf<CartInput>();
  });

  // The rules type takes read-only lists (a defined list is frozen), the parser returns copies.
  it('what the rules schema parses to is PricingRules', () => {
    expectTypeOf<z.output<typeof pricingRulesSchema>>().toExtend<PricingRules>();
  });
});
