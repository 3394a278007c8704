import { KassaError, parseInput } from '../errors.js';
import { allocateDecimal } from '../money/allocate.js';
import { minorUnits } from '../money/currencies.js';
import { compareDecimals, Decimal, decimalToString, isAboveZero, isBelowZero } from '../money/decimal.js';
import { ExactSum, printSum } from '../money/exact-sum.js';
import { DECIMAL_JS_MODES, type RoundingMode, roundToStep, stepOf } from '../money/rounding.js';
import { isDefined } from './define.js';
import { assertFeatures, type PricingFeatures } from './features.js';
import { cartInputSchema, isPlainValidCart, pricingRulesSchema } from './schemas.js';
import {
  exactTaxes,
  type NormalizedTax,
  netOf,
  normalizeTaxes,
  type TaxCoefficients,
  taxCoefficients,
} from './tax.js';
import type {
  Adjustment,
  CartInput,
  DiscountInput,
  LineInput,
  PricedCart,
  PricedLine,
  PricedLineTax,
  PricingRules,
  PricingWarning,
  TaxBreakdownEntry,
  TaxInput,
} from './types.js';

const ZERO = new Decimal(0);
const HUNDRED = new Decimal(100);
/** Decimals are immutable, so lines with the usual whole quantities can share them. */
const SMALL_QUANTITIES = Array.from({ length: 100 }, (_, i) => new Decimal(i));

/**
 * Prices a cart: price lists, overrides, line discounts, promotions, cart discounts, tax,
 * totals and cash rounding, in that order. Pure and deterministic: the same input gives the
 * same output, whatever the order of the lines, with no clock and no I/O.
 *
 * Invariants: the lines sum exactly to the totals under every rounding policy;
 * `net + tax = total` on every line and on the cart; discounts never take a line or the
 * cart below zero; with prices that include tax, each line's `net + tax` is the gross
 * entered after discounts.
 *
 * @example
 * ```ts
 * const priced = priceCart(
 *   { currency: 'EUR', pricesIncludeTax: true,
 *     lines: [{ id: '1', sku: 'coffee', unitPrice: '2.40', quantity: 2, taxCategory: 'reduced' }] },
 *   { taxCategories: { reduced: [{ id: 'vat-9', rate: '9' }] } },
 * );
 * priced.totals.total; // '4.80'
 * ```
 * @throws KassaError with a `validation.*` code and `details.path` naming the bad field.
 */
export function priceCart(
  input: CartInput,
  rules: PricingRules = {},
  features: PricingFeatures = {},
): PricedCart {
  // zod's object parsing dominates the cost of a valid cart; a cart that a plain check finds
  // valid is priced as given (the parse would only copy it), and zod reads all the others.
  const cart = isPlainValidCart(input) ? input : parseInput(cartInputSchema, input, 'cart');
  // Rules from definePricingRules were validated once and are frozen; all others are read now.
  const parsedRules =
    isEmptyRules(rules) || isDefined(rules) ? rules : parseInput(pricingRulesSchema, rules, 'pricing rules');
  assertFeatures(parsedRules, features);
  return priceParsedCart(cart, parsedRules, features);
}

interface WorkLine {
  input: LineInput;
  index: number;
  quantity: Decimal;
  unit: string;
  listUnitPrice: Decimal;
  unitPrice: Decimal;
  includesTax: boolean;
  taxes: NormalizedTax[];
  coefficients: TaxCoefficients;
  subtotal: Decimal;
  /** The amount still due on the line in its price mode, after the discounts so far. */
  remaining: Decimal;
  /** Discounts may not take the line below this (the included fixed taxes, e.g. a deposit). */
  floor: Decimal;
  adjustments: { source: Adjustment['source']; id: string; amount: Decimal; label: string }[];
  taxAmounts: Decimal[];
  exact: Decimal[];
  net: Decimal;
  tax: Decimal;
  discountTotal: Decimal;
}

/**
 * Prices an already validated cart. The cart store calls it after validating a single
 * command, so that a long cart is not re-validated on every scan.
 * @internal
 */
export function priceParsedCart(
  cart: CartInput,
  rules: PricingRules,
  features: PricingFeatures = {},
): PricedCart {
  const currency = cart.currency;
  const minorStep = stepOf(minorUnits(currency));
  const step = rules.rounding?.step === undefined ? minorStep : new Decimal(rules.rounding.step);
  if (step !== minorStep && !step.div(minorStep).isInteger()) {
    throw new KassaError(
      'validation.invalid_amount',
      `Rounding step ${step.toFixed()} is not a multiple of the ${currency} minor unit ${minorStep.toFixed()}`,
      { path: ['rounding', 'step'] },
    );
  }
  const cashStep = rules.rounding?.cash === undefined ? undefined : new Decimal(rules.rounding.cash.step);
  if (cashStep !== undefined && !cashStep.div(minorStep).isInteger()) {
    throw new KassaError(
      'validation.invalid_amount',
      `Cash rounding step ${cashStep.toFixed()} is not a multiple of the ${currency} minor unit ${minorStep.toFixed()}`,
      { path: ['rounding', 'cash', 'step'] },
    );
  }
  const mode: RoundingMode = rules.rounding?.mode ?? 'half-up';
  const policy = rules.rounding?.tax ?? 'per-line';
  const decimals = Math.max(minorUnits(currency), step.decimalPlaces());
  const jsMode = DECIMAL_JS_MODES[mode];
  const stepIsMinorUnit = step.eq(minorStep);
  const minor = minorUnits(currency);
  // Rounding to the minor unit is one decimal.js operation instead of divide, round, multiply.
  // A value already within the minor unit (a price times a whole quantity) is returned as
  // is: decimal.js would only copy it.
  const round = stepIsMinorUnit
    ? (x: Decimal): Decimal => (x.decimalPlaces() <= minor ? x : x.toDecimalPlaces(minor, jsMode))
    : (x: Decimal): Decimal => roundToStep(x, step, mode);
  const str = (x: Decimal): string => decimalToString(x, decimals);
  const warnings: PricingWarning[] = [];
  const cartIncludesTax = cart.pricesIncludeTax ?? false;
  const exempt = cart.customer?.taxExempt === true;
  const customer = cart.customer
    ? { id: cart.customer.id, groups: [...(cart.customer.groups ?? [])].sort() }
    : undefined;

  // Lines are processed in id order so that allocations and tie-breaks never depend on
  // the order in which items were scanned; they are returned in the order given.
  const taxCache = new Map<string, NormalizedTax[]>();
  const coefficientCache = new WeakMap<NormalizedTax[], TaxCoefficients>();
  const coefficientsOf = (taxes: NormalizedTax[], quantity: Decimal): TaxCoefficients => {
    // Without fixed taxes the coefficients do not depend on the quantity, so lines share them.
    if (taxes.some((t) => t.kind === 'fixed')) return taxCoefficients(taxes, quantity);
    let c = coefficientCache.get(taxes);
    if (!c) {
      c = taxCoefficients(taxes, quantity);
      coefficientCache.set(taxes, c);
    }
    return c;
  };
  // Consecutive lines usually carry the same taxes: comparing them with the previous line's
  // is cheaper than building the cache key. Equal fields make equal keys, so the taxes
  // reused are the very ones the cache would return.
  let previousInput: readonly TaxInput[] = [];
  let previousIncludesTax = false;
  let previousTaxes: NormalizedTax[] | undefined;
  const lines: WorkLine[] = cart.lines.map((input, index) => {
    const q = input.quantity;
    const quantity =
      typeof q === 'number' && q >= 0 && q < SMALL_QUANTITIES.length && Number.isInteger(q)
        ? SMALL_QUANTITIES[q]!
        : new Decimal(q);
    const includesTax = input.priceIncludesTax ?? cartIncludesTax;
    const taxInput = resolveTaxes(input, index, rules);
    let taxes: NormalizedTax[];
    if (previousTaxes && includesTax === previousIncludesTax && sameTaxInputs(taxInput, previousInput)) {
      taxes = previousTaxes;
    } else {
      taxes = normalizeTaxes(taxInput, includesTax, taxCache);
      previousInput = taxInput;
      previousIncludesTax = includesTax;
      previousTaxes = taxes;
    }
    const listUnitPrice = new Decimal(input.unitPrice);
    return {
      input,
      index,
      quantity,
      unit: input.unit ?? 'each',
      listUnitPrice,
      unitPrice: listUnitPrice,
      includesTax,
      taxes,
      coefficients: coefficientsOf(taxes, quantity),
      subtotal: ZERO,
      remaining: ZERO,
      floor: ZERO,
      adjustments: [],
      taxAmounts: [],
      exact: [],
      net: ZERO,
      tax: ZERO,
      discountTotal: ZERO,
    };
  });
  const byId = [...lines].sort((a, b) => (a.input.id < b.input.id ? -1 : a.input.id > b.input.id ? 1 : 0));

  // 1. Price lists, then manual overrides, which always win.
  if (rules.priceLists && rules.priceLists.length > 0 && features.priceLists) {
    const result = features.priceLists({
      currency,
      lines: byId.map((l) => ({
        id: l.input.id,
        sku: l.input.sku,
        categories: l.input.categories ?? [],
        unit: l.unit,
        unitPrice: l.listUnitPrice,
        quantity: l.quantity,
      })),
      priceLists: rules.priceLists,
      context: {
        ...(cart.at ? { at: cart.at } : {}),
        ...(cart.channel ? { channel: cart.channel } : {}),
        ...(customer ? { customer } : {}),
      },
    });
    warnings.push(...result.warnings);
    const lookup = new Map(lines.map((l) => [l.input.id, l]));
    for (const price of result.prices) {
      const line = lookup.get(price.lineId);
      if (!line || line.input.priceOverride) continue;
      line.unitPrice = price.unitPrice;
      const difference = round(line.listUnitPrice.mul(line.quantity)).minus(
        round(price.unitPrice.mul(line.quantity)),
      );
      line.adjustments.push({
        source: 'price-list',
        id: price.priceListId,
        amount: difference,
        label: price.label,
      });
    }
  }
  for (const line of byId) {
    const override = line.input.priceOverride;
    if (override) {
      line.unitPrice = new Decimal(override.unitPrice);
      const difference = round(line.listUnitPrice.mul(line.quantity)).minus(
        round(line.unitPrice.mul(line.quantity)),
      );
      line.adjustments.push({
        source: 'price-override',
        id: 'override',
        amount: difference,
        label: override.reason,
      });
    }
    if (exempt) makeExempt(line, jsMode);
    else assertCoversFixedTaxes(line);
    line.subtotal = round(line.unitPrice.mul(line.quantity));
    line.remaining = line.subtotal;
    // The floor is kept in whole steps, so that discounts stopped by it stay in whole steps.
    line.floor =
      line.quantity.isNegative() || !line.coefficients.hasIncluded || !line.coefficients.includedBeta.gt(0)
        ? ZERO
        : roundToStep(line.coefficients.includedBeta, step, 'ceiling');
  }

  // 2. Manual line discounts, one after the other on what remains.
  for (const line of byId) {
    for (const discount of line.input.discounts ?? []) {
      let wanted: Decimal;
      if (discount.kind === 'percent') {
        // A percentage of the goods, not of the deposit they carry (as cart discounts do).
        wanted = round(line.remaining.minus(line.floor).mul(new Decimal(discount.value)).div(HUNDRED));
      } else {
        wanted = round(toPriceMode(new Decimal(discount.value), discount, line, cartIncludesTax));
        // A returned line takes its amount discounts negative.
        if (line.remaining.isNegative()) wanted = wanted.neg();
      }
      takeOff(line, wanted, {
        source: 'line-discount',
        id: discount.id,
        label: discount.reason ?? discountLabel(discount),
      });
    }
  }

  // 3. Promotions, before cart discounts and tax.
  const coupons = [...new Set(cart.coupons ?? [])];
  let appliedPromotions: PricedCart['appliedPromotions'] = [];
  let couponResults: PricedCart['coupons'] = [];
  if (features.promotions && ((rules.promotions && rules.promotions.length > 0) || coupons.length > 0)) {
    const result = features.promotions({
      currency,
      step,
      mode,
      lines: byId.map((l) => ({
        id: l.input.id,
        sku: l.input.sku,
        categories: l.input.categories ?? [],
        attributes: l.input.attributes ?? {},
        unit: l.unit,
        unitPrice: l.unitPrice,
        quantity: l.quantity,
        amount: l.remaining,
      })),
      promotions: rules.promotions ?? [],
      context: {
        ...(cart.at ? { at: cart.at } : {}),
        ...(cart.channel ? { channel: cart.channel } : {}),
        ...(customer ? { customer } : {}),
        coupons,
        ...(rules.couponUsage ? { couponUsage: rules.couponUsage } : {}),
        // So a spend threshold can drop when a manual cart discount takes the cart below it.
        cartDiscounts: (cart.discounts ?? []).map((d) => ({ kind: d.kind, value: new Decimal(d.value) })),
      },
    });
    warnings.push(...result.warnings);
    const lookup = new Map(lines.map((l) => [l.input.id, l]));
    const taken = new Map<string, ExactSum>();
    for (const adj of result.adjustments) {
      const line = lookup.get(adj.lineId);
      if (!line || line.quantity.isNegative()) continue;
      const amount = takeOff(line, round(adj.amount), {
        source: 'promotion',
        id: adj.promotionId,
        label: adj.label,
      });
      let sum = taken.get(adj.promotionId);
      if (sum === undefined) {
        sum = new ExactSum(decimals);
        taken.set(adj.promotionId, sum);
      }
      sum.add(amount);
    }
    // What a promotion reports is what the lines actually took after clamping.
    // Kept in the stage's order of application, which stacking depends on.
    appliedPromotions = result.applied.map((p) => ({
      ...p,
      amount: taken.get(p.id)?.toString() ?? str(new Decimal(p.amount)),
    }));
    couponResults = result.coupons;
  } else if (coupons.length > 0) {
    // Without the promotions feature no coupon can be known.
    couponResults = coupons.map((code) => ({ code, status: 'rejected' as const, reason: 'unknown' }));
  }

  // 4. Cart discounts, spread over the lines by largest remainder.
  const cartDiscounts: PricedCart['discounts'] = [];
  for (const discount of cart.discounts ?? []) {
    const eligible = byId.filter((l) => l.remaining.minus(l.floor).gt(0));
    let takenTotal = ZERO;
    if (eligible.length > 0) {
      const room = eligible.map((l) => l.remaining.minus(l.floor));
      let shares: Decimal[];
      if (discount.kind === 'percent') {
        const wanted = round(sum(room).mul(new Decimal(discount.value)).div(HUNDRED));
        shares = allocateDecimal(wanted, room, step);
      } else {
        const basisIncludesTax = discount.amountIncludesTax ?? cartIncludesTax;
        const basis = eligible.map((l, i) => convertBasis(room[i]!, l, l.includesTax, basisIncludesTax));
        const wanted = Decimal.min(round(new Decimal(discount.value)), round(sum(basis)));
        // The amount is in its own basis; the weights it is split by may be in the other.
        const allocateByGross =
          discount.allocateBy === undefined ? basisIncludesTax : discount.allocateBy === 'gross';
        const weights =
          allocateByGross === basisIncludesTax
            ? basis
            : eligible.map((l, i) => convertBasis(room[i]!, l, l.includesTax, allocateByGross));
        shares = allocateDecimal(wanted, weights, step).map((share, i) =>
          round(convertBasis(share, eligible[i]!, basisIncludesTax, eligible[i]!.includesTax)),
        );
      }
      eligible.forEach((line, i) => {
        const label = discount.reason ?? discountLabel(discount);
        takenTotal = takenTotal.plus(
          takeOff(line, shares[i]!, { source: 'cart-discount', id: discount.id, label }),
        );
      });
    }
    cartDiscounts.push({
      id: discount.id,
      kind: discount.kind,
      value: new Decimal(discount.value).toFixed(),
      amount: str(takenTotal),
      ...(discount.reason === undefined ? {} : { reason: discount.reason }),
    });
  }

  // 5. Tax.
  for (const line of byId) {
    let net = netOf(line.remaining, line.coefficients);
    // A subtotal rounded below its included fixed taxes (1 g of a taxed good) has no net
    // left; it must not come out with a negative net and a negative percent tax.
    if (!net.isZero() && net.isNegative() !== line.remaining.isNegative()) net = ZERO;
    line.exact = exactTaxes(net, line.coefficients);
    if (policy === 'per-unit') {
      line.taxAmounts = line.exact.map((t) => round(round(t.div(line.quantity)).mul(line.quantity)));
    } else {
      line.taxAmounts = line.exact.map(round);
    }
  }
  if (policy === 'per-total') spreadTotalTaxes(byId, round, step);
  for (const line of byId) keepNetSign(line);

  // 6. Lines, breakdown, totals.
  // The breakdown is accumulated in id order so that which line's tax name it shows never
  // depends on the order the lines were scanned in.
  // Sums are counted in whole units (see ExactSum): exact, and cheaper than a decimal.js
  // addition per line and per column.
  const breakdown = new Map<string, { entry: NormalizedTax; base: ExactSum; amount: ExactSum }>();
  // Lines share their NormalizedTax objects (see taxCache), so each key is built once.
  const taxKeys = new Map<NormalizedTax, string>();
  const keyOf = (t: NormalizedTax): string => {
    let key = taxKeys.get(t);
    if (key === undefined) {
      key = `${t.id}\u0000${t.rateText ?? ''}\u0000${t.kind}`;
      taxKeys.set(t, key);
    }
    return key;
  };
  // Every priced line tax with its breakdown key, to give it its receipt code afterwards.
  const pricedTaxes: PricedLineTax[] = [];
  const pricedTaxKeys: string[] = [];
  const pricedLines = new Array<PricedLine>(lines.length);
  for (const line of byId) pricedLines[line.index] = priceLine(line);
  function priceLine(line: WorkLine): PricedLine {
    let includedTax = ZERO;
    let tax = ZERO;
    line.taxes.forEach((t, j) => {
      const amount = line.taxAmounts[j]!;
      tax = j === 0 ? amount : tax.plus(amount);
      if (t.included) includedTax = includedTax.isZero() ? amount : includedTax.plus(amount);
    });
    const net = includedTax.isZero() ? line.remaining : line.remaining.minus(includedTax);
    line.net = net;
    line.tax = tax;
    // With a single tax and no discount the same Decimals are printed several times
    // (base = net, amount = tax, subtotal = net); each is printed once.
    const netText = str(net);
    const taxText = str(tax);
    let priorTaxes = ZERO;
    const taxes: PricedLineTax[] = line.taxes.map((t, j) => {
      const amount = line.taxAmounts[j]!;
      // A fixed tax is levied per unit, not on an amount: it has no base of its own.
      const base = t.kind === 'fixed' ? ZERO : t.compound ? net.plus(priorTaxes) : net;
      if (j + 1 < line.taxes.length) priorTaxes = priorTaxes.plus(amount);
      const key = keyOf(t);
      const baseText = base === net ? netText : str(base);
      const amountText = amount === tax ? taxText : str(amount);
      let entry = breakdown.get(key);
      if (!entry) {
        entry = { entry: t, base: new ExactSum(decimals), amount: new ExactSum(decimals) };
        breakdown.set(key, entry);
      }
      entry.base.add(base);
      entry.amount.add(amount);
      // Built field by field in the order of the literal it replaces (spreading the optional
      // fields in allocates per line); the key order is part of the output.
      const priced = { id: t.id } as PricedLineTax;
      if (t.name !== undefined) priced.name = t.name;
      priced.kind = t.kind;
      if (t.rateText !== undefined) priced.rate = t.rateText;
      priced.code = t.code ?? '';
      priced.base = baseText;
      priced.amount = amountText;
      priced.included = t.included;
      pricedTaxes.push(priced);
      pricedTaxKeys.push(key);
      return priced;
    });
    const discount =
      line.subtotal === line.remaining || line.subtotal.eq(line.remaining)
        ? ZERO
        : line.subtotal.minus(line.remaining);
    line.discountTotal = discount;
    const input = line.input;
    // The entered price usually prints as it was entered: no need to print the Decimal.
    const unitPrice =
      line.unitPrice === line.listUnitPrice && isPrintedPrice(input.unitPrice, decimals)
        ? input.unitPrice
        : unitPriceText(line.unitPrice, decimals);
    // Field by field, in the key order of the output, as for the taxes above.
    const priced = { id: input.id, sku: input.sku } as PricedLine;
    if (input.name !== undefined) priced.name = input.name;
    priced.categories = input.categories ? [...input.categories] : [];
    priced.unit = line.unit;
    priced.unitPrice = unitPrice;
    priced.listUnitPrice =
      line.listUnitPrice === line.unitPrice ? unitPrice : unitPriceText(line.listUnitPrice, decimals);
    // A safe integer prints the same from the number as from its Decimal.
    priced.quantity =
      typeof input.quantity === 'number' && Number.isSafeInteger(input.quantity)
        ? String(input.quantity)
        : line.quantity.toFixed();
    priced.priceIncludesTax = line.includesTax;
    priced.subtotal = line.subtotal === net ? netText : str(line.subtotal);
    priced.discount = str(discount);
    priced.net = netText;
    priced.tax = taxText;
    priced.total = tax.isZero() ? netText : printSum(net, tax, decimals);
    priced.taxes = taxes;
    priced.adjustments = line.adjustments.map((a) => ({
      source: a.source,
      id: a.id,
      amount: str(a.amount),
      label: a.label,
    }));
    if (input.priceOverride) {
      const { unitPrice: overridePrice, reason, approvedBy } = input.priceOverride;
      priced.priceOverride = { unitPrice: overridePrice, reason };
      if (approvedBy !== undefined) priced.priceOverride.approvedBy = approvedBy;
    }
    if (input.attributes) priced.attributes = { ...input.attributes };
    if (input.returnOf) priced.returnOf = { ...input.returnOf };
    return priced;
  }

  const taxBreakdown = assignCodes(
    [...breakdown.values()].map(({ entry, base, amount }) => ({
      id: entry.id,
      ...(entry.name === undefined ? {} : { name: entry.name }),
      kind: entry.kind,
      ...(entry.rateText === undefined ? {} : { rate: entry.rateText }),
      code: entry.code ?? '',
      base: base.toString(),
      amount: amount.toString(),
      gross: new ExactSum(decimals).addSum(base).addSum(amount).toString(),
    })),
  );
  const codeOf = new Map(taxBreakdown.map((e) => [`${e.id}\u0000${e.rate ?? ''}\u0000${e.kind}`, e.code]));
  pricedTaxes.forEach((t, i) => {
    t.code = codeOf.get(pricedTaxKeys[i]!) ?? t.code;
  });

  const subtotal = new ExactSum(decimals);
  const discount = new ExactSum(decimals);
  const net = new ExactSum(decimals);
  // Every tax amount of every line is in the breakdown, and the sums are exact, so the cart's
  // tax is the sum of the few breakdown entries rather than of the lines.
  const tax = new ExactSum(decimals);
  for (const entry of breakdown.values()) tax.addSum(entry.amount);
  let items = ZERO;
  let eachItems = 0;
  // Whole-number quantities given as numbers are counted without a Decimal while the count
  // stays a safe integer.
  let wholeItems = 0;
  for (const work of lines) {
    addInBasis(work, cartIncludesTax, round, subtotal, discount);
    net.add(work.net);
    const q = work.input.quantity;
    if (work.unit !== 'each') eachItems += work.quantity.isNegative() ? -1 : 1;
    else if (typeof q === 'number' && Number.isSafeInteger(q) && Number.isSafeInteger(wholeItems + q))
      wholeItems += q;
    else items = items.plus(work.quantity);
  }
  items = items.plus(wholeItems).plus(eachItems);
  // Each line's total is its net plus its tax, and these sums are exact, so the cart's total
  // is the sum of the two columns.
  const totalSum = new ExactSum(decimals).addSum(net).addSum(tax);
  const totalText = totalSum.toString();
  const cash = rules.rounding?.cash;
  let cashRounding = str(ZERO);
  let cashTotalText = totalText;
  if (cash && cashStep) {
    const total = totalSum.toDecimal();
    const cashTotal = roundToStep(total, cashStep, cash.mode ?? 'half-up');
    const places = Math.max(decimals, cashTotal.decimalPlaces());
    cashRounding = decimalToString(cashTotal.minus(total), places);
    cashTotalText = decimalToString(cashTotal, places);
  }

  const priced: Omit<PricedCart, 'loyalty'> = {
    currency,
    pricesIncludeTax: cartIncludesTax,
    lines: pricedLines,
    totals: {
      subtotal: subtotal.toString(),
      discount: discount.toString(),
      net: net.toString(),
      tax: tax.toString(),
      total: totalText,
      cashRounding,
      cashTotal: cashTotalText,
      itemCount: items.toFixed(),
      ...(cash && cashStep ? { cashRule: { step: cash.step, mode: cash.mode ?? 'half-up' } } : {}),
    },
    taxBreakdown,
    appliedPromotions,
    discounts: cartDiscounts,
    ...(cart.customer
      ? { customer: { id: cart.customer.id, groups: [...(cart.customer.groups ?? [])], taxExempt: exempt } }
      : {}),
    coupons: couponResults,
    warnings,
  };
  if (rules.loyalty !== undefined && features.loyalty) {
    const result = features.loyalty({ cart: priced, program: rules.loyalty });
    warnings.push(...result.warnings);
    if (result.loyalty) return { ...priced, loyalty: result.loyalty };
  }
  return priced;
}

/**
 * Adds a line's subtotal and discount to the cart's, in the cart's basis: net amounts (no
 * tax at all) when the cart's prices exclude tax, gross amounts (every tax) when they
 * include it. A line whose own amounts are in another basis (it overrides the price mode,
 * or carries a tax inside or outside its price unlike the cart) is converted: its amount
 * after discounts is exact (its net, or its total), its amount before discounts is its
 * subtotal converted by its taxes and rounded, and its discount is the difference, so that
 * `subtotal - discount` is the cart's net (or total) to the cent.
 */
function addInBasis(
  work: WorkLine,
  cartIncludesTax: boolean,
  round: (x: Decimal) => Decimal,
  subtotal: ExactSum,
  discount: ExactSum,
): void {
  const c = work.coefficients;
  const inBasis = cartIncludesTax ? c.allIncluded : !c.hasIncluded;
  if (inBasis) {
    subtotal.add(work.subtotal);
    if (!work.discountTotal.isZero()) discount.add(work.discountTotal);
    return;
  }
  const after = cartIncludesTax ? work.net.plus(work.tax) : work.net;
  if (work.discountTotal.isZero()) {
    subtotal.add(after);
    return;
  }
  const exactNet = netOf(work.subtotal, c);
  let before = round(cartIncludesTax ? exactNet.mul(c.allAlpha).plus(c.allBeta) : exactNet);
  // Rounding must never turn a discount into a surcharge.
  if (work.subtotal.isNegative() ? before.gt(after) : before.lt(after)) before = after;
  subtotal.add(before);
  discount.add(before.minus(after));
}

function sameTaxInputs(a: readonly TaxInput[], b: readonly TaxInput[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (
      x !== y &&
      (x.id !== y.id ||
        x.kind !== y.kind ||
        x.rate !== y.rate ||
        x.amount !== y.amount ||
        x.priceIncluded !== y.priceIncluded ||
        x.compound !== y.compound ||
        x.sequence !== y.sequence ||
        x.code !== y.code ||
        x.name !== y.name)
    )
      return false;
  }
  return true;
}

function isEmptyRules(rules: unknown): rules is PricingRules {
  if (typeof rules !== 'object' || rules === null) return false;
  const proto = Object.getPrototypeOf(rules);
  return (proto === Object.prototype || proto === null) && Object.keys(rules).length === 0;
}

function resolveTaxes(line: LineInput, index: number, rules: PricingRules): readonly TaxInput[] {
  if (line.taxes) return line.taxes;
  if (line.taxCategory === undefined) return [];
  const taxes = rules.taxCategories?.[line.taxCategory];
  if (!taxes) {
    throw new KassaError(
      'validation.unknown_tax_category',
      `Unknown tax category "${line.taxCategory}" at lines.${index}.taxCategory; define it in rules.taxCategories`,
      {
        path: ['lines', index, 'taxCategory'],
        issues: [{ path: ['lines', index, 'taxCategory'], message: 'unknown tax category' }],
      },
    );
  }
  return taxes;
}

/**
 * A price that includes fixed taxes (a deposit) must at least cover them: a bottle with a
 * 0.25 deposit cannot sell for 0.10 including the deposit.
 */
function assertCoversFixedTaxes(line: WorkLine): void {
  const c = line.coefficients;
  if (!c.hasIncluded || !c.includedBeta.gt(0) || line.quantity.isZero()) return;
  const perUnit = c.includedBeta.div(line.quantity.abs());
  if (line.unitPrice.gte(perUnit)) return;
  const path = line.input.priceOverride
    ? ['lines', line.index, 'priceOverride', 'unitPrice']
    : ['lines', line.index, 'unitPrice'];
  const message = `the price includes fixed taxes of ${perUnit.toFixed()} per unit and cannot be below them`;
  throw new KassaError('validation.invalid_amount', `Invalid cart at ${path.join('.')}: ${message}`, {
    path,
    issues: [{ path, message }],
  });
}

/**
 * Rounding each included tax separately can take more than the line holds when the net is
 * a fraction of a step (two taxes rounded up on a price of 0.01). The excess is taken back
 * from the last included taxes, so the net never changes sign.
 */
function keepNetSign(line: WorkLine): void {
  // Only taxes inside the price can take the net past zero.
  if (!line.coefficients.hasIncluded) return;
  let included = ZERO;
  line.taxes.forEach((t, j) => {
    if (t.included) included = included.plus(line.taxAmounts[j]!);
  });
  const net = line.remaining.minus(included);
  // What the included taxes took past zero, as a signed amount (no allocation when none).
  const returned = line.remaining.isNegative() && !line.remaining.isZero();
  const excess = returned ? (isAboveZero(net) ? net.neg() : ZERO) : isBelowZero(net) ? net.neg() : ZERO;
  if (excess.isZero()) return;
  let left = excess;
  // Percent taxes first; a fixed tax only when it was itself rounded past the line (a
  // deposit smaller than the currency's step, rounded per unit).
  for (const fixedPass of [false, true]) {
    for (let j = line.taxes.length - 1; j >= 0 && !left.isZero(); j--) {
      const t = line.taxes[j]!;
      if (!t.included || (t.kind === 'fixed') !== fixedPass) continue;
      const amount = line.taxAmounts[j]!;
      const take = left.gt(0)
        ? Decimal.min(left, Decimal.max(ZERO, amount))
        : Decimal.max(left, Decimal.min(ZERO, amount));
      line.taxAmounts[j] = amount.minus(take);
      left = left.minus(take);
    }
  }
}

/**
 * A tax-exempt customer pays the net price: taxes inside the price are taken out of the
 * unit price (rounded to 6 decimals in the rules' mode), and no tax is added.
 */
function makeExempt(line: WorkLine, jsMode: (typeof DECIMAL_JS_MODES)[RoundingMode]): void {
  if (line.taxes.length === 0) return;
  const unitCoefficients = taxCoefficients(line.taxes, new Decimal(1));
  line.unitPrice = netOf(line.unitPrice, unitCoefficients).toDecimalPlaces(6, jsMode);
  line.taxes = [];
  line.includesTax = false;
  line.coefficients = taxCoefficients([], line.quantity);
}

/**
 * Takes a discount off a line, clamped so the line never changes sign and never goes
 * below its floor. Returns the amount actually taken.
 */
function takeOff(
  line: WorkLine,
  wanted: Decimal,
  meta: { source: Adjustment['source']; id: string; label: string },
): Decimal {
  let amount = wanted;
  if (!line.remaining.isNegative()) {
    const room = line.floor.isZero() ? line.remaining : line.remaining.minus(line.floor);
    if (compareDecimals(amount, room) > 0) amount = room;
    if (amount.isNegative()) amount = ZERO;
  } else {
    // A returned line is negative: its discounts are negative too, and stop at zero.
    if (amount.lt(line.remaining)) amount = line.remaining;
    if (amount.gt(0)) amount = ZERO;
  }
  if (amount.isZero()) return ZERO;
  line.remaining = line.remaining.minus(amount);
  line.adjustments.push({ source: meta.source, id: meta.id, amount, label: meta.label });
  return amount;
}

/** A discount amount given net or gross, in the line's price mode (fixed taxes are never discounted). */
function toPriceMode(
  amount: Decimal,
  discount: DiscountInput,
  line: WorkLine,
  cartIncludesTax: boolean,
): Decimal {
  const basisIncludesTax = discount.amountIncludesTax ?? line.input.priceIncludesTax ?? cartIncludesTax;
  return convertBasis(amount, line, basisIncludesTax, line.includesTax);
}

/** Converts an amount between a line's net, gross and price-mode views, by its percent taxes. */
function convertBasis(
  amount: Decimal,
  line: WorkLine,
  fromIncludesTax: boolean,
  toIncludesTax: boolean,
): Decimal {
  if (fromIncludesTax === toIncludesTax && line.includesTax === toIncludesTax) return amount;
  const c = line.coefficients;
  const factorOf = (includesTax: boolean, isLineMode: boolean): Decimal =>
    isLineMode ? c.includedAlpha : includesTax ? c.allAlpha : new Decimal(1);
  const from = factorOf(fromIncludesTax, fromIncludesTax === line.includesTax);
  const to = factorOf(toIncludesTax, toIncludesTax === line.includesTax);
  return amount.div(from).mul(to);
}

function sum(values: readonly Decimal[]): Decimal {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}

/**
 * Per-total rounding: each tax is rounded once over the document, then spread back to the
 * lines (each line gets its exact share rounded down, and the units left over go to the
 * largest remainders), so the lines still sum to the document.
 */
function spreadTotalTaxes(lines: readonly WorkLine[], round: (x: Decimal) => Decimal, step: Decimal): void {
  const groups = new Map<string, { line: WorkLine; j: number }[]>();
  for (const line of lines) {
    line.taxes.forEach((t, j) => {
      const key = `${t.id}\u0000${t.rateText ?? ''}\u0000${t.kind}`;
      const list = groups.get(key) ?? [];
      list.push({ line, j });
      groups.set(key, list);
    });
  }
  for (const members of groups.values()) {
    const exact = members.map(({ line, j }) => line.exact[j]!);
    const total = round(sum(exact));
    const floors = exact.map((x) => x.div(step).floor());
    let leftover = total.div(step).minus(sum(floors)).toNumber();
    const order = exact
      .map((x, i) => ({ i, rem: x.div(step).minus(floors[i]!) }))
      .sort((a, b) => b.rem.comparedTo(a.rem) || a.i - b.i);
    for (const o of order) {
      if (leftover <= 0) break;
      if (o.rem.isZero()) continue;
      floors[o.i] = floors[o.i]!.plus(1);
      leftover -= 1;
    }
    members.forEach(({ line, j }, i) => {
      line.taxAmounts[j] = floors[i]!.mul(step);
    });
  }
}

function discountLabel(discount: DiscountInput): string {
  return discount.kind === 'percent' ? `${new Decimal(discount.value).toFixed()}% off` : 'Discount';
}

/**
 * Whether an entered price string is exactly what {@link unitPriceText} would print for it:
 * digits only, no leading zero, and `decimals` decimals (or more, ending in a non-zero digit).
 */
function isPrintedPrice(text: unknown, decimals: number): text is string {
  if (typeof text !== 'string' || text.length === 0) return false;
  let point = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 && point < 0 && i > 0 && i < text.length - 1) point = i;
    else if (c < 48 || c > 57) return false;
  }
  if (text.charCodeAt(0) === 48 && text.length > 1 && point !== 1) return false;
  const places = point < 0 ? 0 : text.length - point - 1;
  return places === decimals || (places > decimals && text.charCodeAt(text.length - 1) !== 48);
}

function unitPriceText(price: Decimal, decimals: number): string {
  return decimalToString(price, Math.max(decimals, price.decimalPlaces()));
}

/**
 * Receipt letter codes: taxes that bring their own code keep it; the others get A, B, C...
 * by descending rate, then id, skipping letters already taken.
 */
function assignCodes(entries: TaxBreakdownEntry[]): TaxBreakdownEntry[] {
  const sorted = entries.sort(
    (a, b) =>
      new Decimal(b.rate ?? -1).comparedTo(new Decimal(a.rate ?? -1)) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const taken = new Set(sorted.map((e) => e.code).filter((c) => c !== ''));
  let next = 0;
  for (const entry of sorted) {
    if (entry.code !== '') continue;
    let letter = String.fromCharCode(65 + next);
    while (taken.has(letter) && next < 26) letter = String.fromCharCode(65 + ++next);
    entry.code = letter;
    taken.add(letter);
    next += 1;
  }
  return sorted;
}
