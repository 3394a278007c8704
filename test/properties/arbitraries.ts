import fc from 'fast-check';
import type { CartInput, DiscountInput, LineInput, PricingRules, TaxInput } from '../../src/cart/types.js';
import { ROUNDING_MODES } from '../../src/money/index.js';

/** A decimal string with `decimals` decimals from an integer count of its smallest unit. */
export function decimalString(units: bigint | number, decimals: number): string {
  const n = BigInt(units);
  const negative = n < 0n;
  const digits = (negative ? -n : n).toString().padStart(decimals + 1, '0');
  const whole = decimals === 0 ? digits : digits.slice(0, -decimals);
  const frac = decimals === 0 ? '' : `.${digits.slice(-decimals)}`;
  return `${negative ? '-' : ''}${whole}${frac}`;
}

/** 0.5 (or 1 when there are no decimals) in units of `decimals` decimals. */
function halfUnitOf(decimals: number): number {
  return decimals === 0 ? 1 : 5 * 10 ** (decimals - 1);
}

/** Tax sets a till meets: single rates, compound pairs, a deposit, a division tax, none. */
export const TAX_SETS: TaxInput[][] = [
  [],
  [{ id: 'vat19', rate: '19' }],
  [{ id: 'vat7', rate: '7' }],
  [{ id: 'vat21', rate: '21' }],
  [{ id: 'vat8.1', rate: '8.1' }],
  [
    { id: 'gst', rate: '5' },
    { id: 'pst', rate: '9.975', compound: true },
  ],
  [
    { id: 'deposit', kind: 'fixed', amount: '0.25' },
    { id: 'vat19', rate: '19', compound: true },
  ],
  [{ id: 'div10', kind: 'division', rate: '10' }],
  [
    { id: 'excise', kind: 'fixed', amount: '0.1' },
    { id: 'vat21', rate: '21' },
  ],
];

export const CURRENCIES = [
  { code: 'EUR', decimals: 2, steps: [undefined, '0.05'] },
  { code: 'JPY', decimals: 0, steps: [undefined, '5'] },
  { code: 'KWD', decimals: 3, steps: [undefined, '0.005'] },
] as const;

const discountArb = (id: string): fc.Arbitrary<DiscountInput> =>
  fc.oneof(
    fc.integer({ min: 0, max: 100 }).map((v) => ({ id, kind: 'percent' as const, value: String(v) })),
    fc
      .integer({ min: 0, max: 5000 })
      .map((v) => ({ id, kind: 'amount' as const, value: decimalString(v, 2) })),
    fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.boolean()).map(([v, gross]) => ({
      id,
      kind: 'amount' as const,
      value: decimalString(v, 2),
      amountIncludesTax: gross,
    })),
  );

export interface CartCase {
  input: CartInput;
  rules: PricingRules;
  decimals: number;
  step: string;
}

/**
 * Random carts: 1–8 lines of `each` or `kg` goods, prices with up to 4 decimals, random tax
 * sets, line and cart discounts, every rounding policy and mode, optional cash rounding.
 * `allowReturns` adds negative quantities.
 */
export function cartArb(
  options: { allowReturns?: boolean; includedOnly?: boolean } = {},
): fc.Arbitrary<CartCase> {
  const lineArb = fc.record({
    priceUnits: fc.integer({ min: 0, max: 2_000_000 }),
    priceDecimals: fc.integer({ min: 0, max: 4 }),
    measured: fc.boolean(),
    eachQty: fc.integer({ min: 1, max: 12 }),
    kgQty: fc.integer({ min: 1, max: 5000 }),
    negative: options.allowReturns ? fc.boolean() : fc.constant(false),
    taxSet: fc.integer({ min: 0, max: TAX_SETS.length - 1 }),
    discount: fc.option(discountArb('ld'), { nil: undefined }),
    priceIncludesTax: fc.option(fc.boolean(), { nil: undefined }),
    overrideUnits: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined, freq: 6 }),
  });
  return fc
    .record({
      currency: fc.constantFrom(...CURRENCIES),
      useStep: fc.boolean(),
      pricesIncludeTax: fc.boolean(),
      policy: fc.constantFrom('per-line' as const, 'per-unit' as const, 'per-total' as const),
      mode: fc.constantFrom(...ROUNDING_MODES),
      cash: fc.boolean(),
      lines: fc.array(lineArb, { minLength: 1, maxLength: 8 }),
      cartDiscounts: fc.array(discountArb('cd'), { maxLength: 2 }),
      exempt: fc.option(fc.boolean(), { nil: undefined, freq: 3 }),
    })
    .map(({ currency, useStep, pricesIncludeTax, policy, mode, cash, lines, cartDiscounts, exempt }) => {
      const step = (useStep ? currency.steps[1] : undefined) ?? decimalString(1, currency.decimals);
      const decimals = Math.max(currency.decimals, step.includes('.') ? step.split('.')[1]!.length : 0);
      const inputLines: LineInput[] = lines.map((l, i) => {
        const sign = l.negative ? -1 : 1;
        const quantity = l.measured ? decimalString(sign * l.kgQty, 3) : sign * l.eachQty;
        const taxes = options.includedOnly
          ? TAX_SETS[l.taxSet]!.map((t) => ({ ...t, priceIncluded: true }))
          : TAX_SETS[l.taxSet]!;
        const line: LineInput = {
          id: `line-${String(i).padStart(2, '0')}`,
          sku: `sku-${i}`,
          // A price that includes a deposit must cover it (the engine rejects less).
          unitPrice: decimalString(
            l.priceUnits + (taxes.some((t) => t.kind === 'fixed') ? halfUnitOf(l.priceDecimals) : 0),
            l.priceDecimals,
          ),
          quantity,
          ...(l.measured ? { unit: 'kg' } : {}),
          ...(taxes.length > 0 ? { taxes } : {}),
          ...(l.discount ? { discounts: [l.discount] } : {}),
          ...(l.overrideUnits !== undefined
            ? {
                priceOverride: {
                  unitPrice: decimalString(
                    l.overrideUnits + (taxes.some((t) => t.kind === 'fixed') ? halfUnitOf(2) : 0),
                    2,
                  ),
                  reason: 'manager',
                },
              }
            : {}),
          ...(l.priceIncludesTax !== undefined && !options.includedOnly
            ? { priceIncludesTax: l.priceIncludesTax }
            : {}),
        };
        return line;
      });
      const input: CartInput = {
        currency: currency.code,
        pricesIncludeTax: options.includedOnly ? true : pricesIncludeTax,
        lines: inputLines,
        discounts: cartDiscounts.map((d, i) => ({ ...d, id: `cd-${i}` })),
        ...(exempt !== undefined && !options.includedOnly
          ? { customer: { id: 'c', taxExempt: exempt } }
          : {}),
      };
      const rules: PricingRules = {
        rounding: {
          tax: policy,
          mode,
          ...(useStep ? { step } : {}),
          ...(cash
            ? { cash: { step: currency.code === 'JPY' ? '10' : decimalString(5, currency.decimals) } }
            : {}),
        },
      };
      return { input, rules, decimals, step };
    });
}

/**
 * Fast-check settings that keep the suite to seconds on a loaded 2-core box; set
 * KASSA_PROPERTY_RUNS=5000 for a longer hunt.
 */
export const RUNS = { numRuns: Number(process.env.KASSA_PROPERTY_RUNS ?? 150) } as const;
