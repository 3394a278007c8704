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
export function normalizeTaxes(taxes: readonly TaxInput[], lineIncludesTax: boolean): NormalizedTax[] {
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
}

/** @internal */
export function taxCoefficients(taxes: readonly NormalizedTax[], quantity: Decimal): TaxCoefficients {
  const alpha: Decimal[] = [];
  const beta: Decimal[] = [];
  let sumAlpha = ZERO;
  let sumBeta = ZERO;
  let includedAlpha = ONE;
  let includedBeta = ZERO;
  let allAlpha = ONE;
  for (const tax of taxes) {
    const baseAlpha = tax.compound ? ONE.plus(sumAlpha) : ONE;
    const baseBeta = tax.compound ? sumBeta : ZERO;
    let a: Decimal;
    let b: Decimal;
    if (tax.kind === 'fixed') {
      a = ZERO;
      b = tax.amount.mul(quantity);
    } else {
      const factor = tax.kind === 'division' ? tax.rate.div(ONE.minus(tax.rate)) : tax.rate;
      a = factor.mul(baseAlpha);
      b = factor.mul(baseBeta);
    }
    alpha.push(a);
    beta.push(b);
    sumAlpha = sumAlpha.plus(a);
    sumBeta = sumBeta.plus(b);
    allAlpha = allAlpha.plus(a);
    if (tax.included) {
      includedAlpha = includedAlpha.plus(a);
      includedBeta = includedBeta.plus(b);
    }
  }
  return { alpha, beta, includedAlpha, includedBeta, allAlpha };
}

/** The exact net amount of a price-mode amount. @internal */
export function netOf(priceModeAmount: Decimal, c: TaxCoefficients): Decimal {
  return priceModeAmount.minus(c.includedBeta).div(c.includedAlpha);
}

/** The exact, unrounded tax amounts for a net amount. @internal */
export function exactTaxes(net: Decimal, c: TaxCoefficients): Decimal[] {
  return c.alpha.map((a, j) => a.mul(net).plus(c.beta[j]!));
}
