import * as z from 'zod/mini';
import { isDefined, markDefined } from '../define.js';
import { parseWith } from '../promotions/errors.js';

const amountString = z
  .string()
  .check(z.regex(/^\d{1,12}(\.\d{1,6})?$/, 'Expected a decimal string like "1" or "0.5"'));
const percentString = z.string().check(
  z.regex(/^\d{1,3}(\.\d{1,6})?$/, 'Expected a percentage like "50"'),
  z.refine((v) => Number(v) > 0 && Number(v) <= 100, 'A percentage must be above 0 and at most 100'),
);
const shortText = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

/** A loyalty tier: reached at `minPoints` lifetime points, earning `multiplier` times the points. */
export interface LoyaltyTier {
  id: string;
  label?: string;
  /** Lifetime points from which the tier applies. */
  minPoints: string;
  /** Default `'1'`. */
  multiplier?: string;
}

/** How points turn into money when redeemed. */
export interface LoyaltyRedemption {
  /** What one point is worth in the cart's currency (`'0.01'`). */
  pointValue: string;
  /** Smallest redemption, in points. */
  minPoints?: string;
  /** Points are redeemed in multiples of this (`'100'`). Default `'1'`. */
  pointStep?: string;
  /** At most this share of the cart total can be paid with points. Default 100. */
  maxPercent?: string;
}

/**
 * A loyalty program as data. Points are earned per currency unit of what the customer pays
 * (`basis: 'total'`, the default) or of the net amount; `categoryMultipliers` multiply (the
 * highest matching one counts); `excluded` items (gift cards, tobacco) earn nothing. The tier
 * multiplies everything. A return earns negative points, at the price actually paid.
 */
export interface LoyaltyProgram {
  id: string;
  label?: string;
  /** Only for carts in this currency. */
  currency?: string;
  /** Points per one unit of currency (`'1'`: one point per euro). */
  pointsPerUnit: string;
  /** Default `'total'`. */
  basis?: 'total' | 'net';
  /** Decimals of a point balance; default 0 (whole points, rounded down). */
  pointDecimals?: number;
  categoryMultipliers?: Record<string, string>;
  excluded?: { skus?: readonly string[]; categories?: string[] };
  tiers?: LoyaltyTier[];
  redemption?: LoyaltyRedemption;
}

/** The zod schema of a loyalty program. */
export const loyaltyProgramSchema: z.ZodMiniType<LoyaltyProgram> = z.strictObject({
  id: shortText(64),
  label: z.exactOptional(shortText(48)),
  currency: z.exactOptional(z.string().check(z.regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 code'))),
  pointsPerUnit: amountString,
  basis: z.exactOptional(z.enum(['total', 'net'])),
  pointDecimals: z.exactOptional(z.int().check(z.gte(0), z.lte(6))),
  categoryMultipliers: z.exactOptional(z.record(shortText(64), amountString)),
  excluded: z.exactOptional(
    z.strictObject({
      skus: z.exactOptional(z.array(shortText(64))),
      categories: z.exactOptional(z.array(shortText(64))),
    }),
  ),
  tiers: z.exactOptional(
    z
      .array(
        z.strictObject({
          id: shortText(64),
          label: z.exactOptional(shortText(48)),
          minPoints: amountString,
          multiplier: z.exactOptional(amountString),
        }),
      )
      .check(z.maxLength(20)),
  ),
  redemption: z.exactOptional(
    z.strictObject({
      pointValue: amountString.check(z.refine((v) => Number(v) > 0, 'pointValue must be above 0')),
      minPoints: z.exactOptional(amountString),
      pointStep: z.exactOptional(
        amountString.check(z.refine((v) => Number(v) > 0, 'pointStep must be above 0')),
      ),
      maxPercent: z.exactOptional(percentString),
    }),
  ),
});

/**
 * Parses a loyalty program.
 * @throws KassaError `loyalty.invalid_program` with the field path
 */
export function parseLoyaltyProgram(input: unknown): LoyaltyProgram {
  // A defined program is frozen and valid; any other object is read as it is now.
  if (isDefined(input)) return input as LoyaltyProgram;
  return parseWith(loyaltyProgramSchema, input, 'loyalty.invalid_program', 'loyalty program');
}

/**
 * Validates a loyalty program once and returns it frozen; pass the result in
 * `rules.loyalty` (and to the loyalty helpers) to skip the validation on every sale. A raw
 * object is validated on every use instead.
 * @throws KassaError `loyalty.invalid_program` with the field path
 */
export function defineLoyaltyProgram(input: unknown): Readonly<LoyaltyProgram> {
  if (isDefined(input)) return input as LoyaltyProgram;
  return markDefined(parseWith(loyaltyProgramSchema, input, 'loyalty.invalid_program', 'loyalty program'));
}
