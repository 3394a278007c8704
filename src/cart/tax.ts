import { Decimal } from '../money/decimal.js';
import type { TaxInput } from './types.js';

/** A tax after validation, with its rate as a fraction (21 % is 0.21). @internal */
export interface NormalizedTax {
  id: string;
  name: string | undefined;
  kind: 'percent' | 'fixed' | 'division';
  /** The rate as entered (`'21'`), for display. */
  rateText: string | undefined;
  /** The rate as a fraction. */
  rate: Decimal;
  /** Amount per unit, for fixed taxes. */
  amount: Decimal;
  included: boolean;
  compound: boolean;
  code: string | undefined;
}

const ZERO = new Decimal(0);
const ONE = new Decimal(1);
const HUNDRED = new Decimal(100);

/**
 * Orders a line's taxes by `sequence` (stable on ties) and resolves their price mode.
 * @internal
 */
export function normalizeTaxes(
  taxes: readonly TaxInput[],
  lineIncludesTax: boolean,
  cache?: Map<string, NormalizedTax[]>,
): NormalizedTax[] {
  if (taxes.length === 0) return [];
  if (cache) {
    let key = lineIncludesTax ? '1' : '0';
    for (const t of taxes) {
      key += `\u0001${t.id}\u0002${t.kind ?? ''}\u0002${t.rate ?? ''}\u0002${t.amount ?? ''}\u0002${t.priceIncluded ?? ''}\u0002${t.compound ?? ''}\u0002${t.sequence ?? ''}\u0002${t.code ?? ''}\u0002${t.name ?? ''}`;
    }
    const hit = cache.get(key);
    if (hit) return hit;
    const fresh = normalizeTaxes(taxes, lineIncludesTax);
    cache.set(key, fresh);
    return fresh;
  }
  return taxes
    .map((tax, index) => ({ tax, index }))
    .sort((a, b) => (a.tax.sequence ?? 0) - (b.tax.sequence ?? 0) || a.index - b.index)
    .map(({ tax }) => ({
      id: tax.id,
      name: tax.name,
      kind: tax.kind ?? 'percent',
      rateText: tax.rate === undefined ? undefined : new Decimal(tax.rate).toFixed(),
      rate: tax.rate === undefined ? ZERO : new Decimal(tax.rate).div(HUNDRED),
      amount: tax.amount === undefined ? ZERO : new Decimal(tax.amount),
      included: tax.priceIncluded ?? lineIncludesTax,
      compound: tax.compound ?? false,
      code: tax.code,
    }));
}

/**
 * Every tax of a line is affine in the line's net amount N: `tax_j = alpha_j × N + beta_j`.
 * Percent: `rate × base`; division: `rate / (1 − rate) × base` (so the tax is `rate` of the
 * price that includes it); fixed: `amount × quantity`. A compound tax's base also holds the
 * taxes before it. Writing the taxes this way lets one formula find N from a price that
 * includes any mix of them (Odoo's engine peels them off one by one; the result is the same).
 * @internal
 */
export interface TaxCoefficients {
  alpha: Decimal[];
  beta: Decimal[];
  /** 1 + the alphas of the included taxes. */
  includedAlpha: Decimal;
  /** The betas of the included taxes. */
  includedBeta: Decimal;
  /** 1 + the alphas of all taxes. */
  allAlpha: Decimal;
  /** Some tax is inside the price, so the net must be solved for. */
  hasIncluded: boolean;
  /** Some tax has a constant part (a fixed tax, or a compound tax over one). */
  hasBeta: boolean;
  /** Every tax is inside the price (true for a line without taxes). */
  allIncluded: boolean;
  /** The betas of all taxes. */
  allBeta: Decimal;
}

/** @internal */
export function taxCoefficients(taxes: readonly NormalizedTax[], quantity: Decimal): TaxCoefficients {
  const alpha: Decimal[] = [];
  const beta: Decimal[] = [];
  if (taxes.length === 0) {
    return {
      alpha,
      beta,
      includedAlpha: ONE,
      includedBeta: ZERO,
      allAlpha: ONE,
      hasIncluded: false,
      hasBeta: false,
      allIncluded: true,
      allBeta: ZERO,
    };
  }
  let sumAlpha = ZERO;
  let sumBeta = ZERO;
  let includedAlpha = ONE;
  let includedBeta = ZERO;
  let allAlpha = ONE;
  let hasIncluded = false;
  let hasBeta = false;
  let allIncluded = true;
  for (const tax of taxes) {
    const baseAlpha = tax.compound && !sumAlpha.isZero() ? ONE.plus(sumAlpha) : ONE;
    const baseBeta = tax.compound ? sumBeta : ZERO;
    let a: Decimal;
    let b: Decimal;
    if (tax.kind === 'fixed') {
      a = ZERO;
      b = tax.amount.mul(quantity);
    } else {
      const factor = tax.kind === 'division' ? tax.rate.div(ONE.minus(tax.rate)) : tax.rate;
      a = baseAlpha === ONE ? factor : factor.mul(baseAlpha);
      b = baseBeta.isZero() ? ZERO : factor.mul(baseBeta);
    }
    alpha.push(a);
    beta.push(b);
    sumAlpha = sumAlpha.plus(a);
    sumBeta = sumBeta.plus(b);
    allAlpha = allAlpha.plus(a);
    if (!b.isZero()) hasBeta = true;
    if (tax.included) {
      hasIncluded = true;
      includedAlpha = includedAlpha.plus(a);
      includedBeta = includedBeta.plus(b);
    } else {
      allIncluded = false;
    }
  }
  return {
    alpha,
    beta,
    includedAlpha,
    includedBeta,
    allAlpha,
    hasIncluded,
    hasBeta,
    allIncluded,
    allBeta: sumBeta,
  };
}

/** The exact net amount of a price-mode amount. @internal */
export function netOf(priceModeAmount: Decimal, c: TaxCoefficients): Decimal {
  if (!c.hasIncluded) return priceModeAmount;
  return (c.includedBeta.isZero() ? priceModeAmount : priceModeAmount.minus(c.includedBeta)).div(
    c.includedAlpha,
  );
}

/** The exact, unrounded tax amounts for a net amount. @internal */
export function exactTaxes(net: Decimal, c: TaxCoefficients): Decimal[] {
  if (!c.hasBeta) return c.alpha.map((a) => a.mul(net));
  return c.alpha.map((a, j) => a.mul(net).plus(c.beta[j]!));
}
