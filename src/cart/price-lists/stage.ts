import { Decimal } from '../../money/decimal.js';
import { roundToDecimals } from '../../money/rounding.js';
import { parseAt } from '../promotions/conditions.js';
import type { PricingWarning } from '../types.js';
import { type PriceList, type PriceListEntry, validatePriceLists } from './schema.js';

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

interface Indexed {
  bySku: Map<string, PriceListEntry[]>;
  byCategory: Map<string, PriceListEntry[]>;
}

const indexes = new WeakMap<PriceList, Indexed>();

function indexOf(list: PriceList): Indexed {
  let hit = indexes.get(list);
  if (hit === undefined) {
    hit = { bySku: new Map(), byCategory: new Map() };
    for (const e of list.prices) {
      const [map, key] = e.sku !== undefined ? [hit.bySku, e.sku] : [hit.byCategory, e.category!];
      const entries = map.get(key);
      if (entries === undefined) map.set(key, [e]);
      else entries.push(e);
    }
    indexes.set(list, hit);
  }
  return hit;
}

const HUNDRED = new Decimal(100);
const ZERO = new Decimal(0);

function bestEntry(
  entries: readonly PriceListEntry[] | undefined,
  quantity: Decimal,
): PriceListEntry | undefined {
  let best: PriceListEntry | undefined;
  let bestMin = new Decimal(-1);
  for (const e of entries ?? []) {
    const min = new Decimal(e.minQuantity ?? '0');
    if (min.gt(quantity)) continue;
    if (min.gt(bestMin)) {
      best = e;
      bestMin = min;
    }
  }
  return best;
}

/**
 * Resolves base prices through price lists (customer groups, quantity breaks, validity).
 * Invalid lists become warnings and are skipped; the others still apply.
 * @internal called by `priceCart`.
 */
export function priceListStage(input: PriceListStageInput): PriceListStageResult {
  const warnings: PricingWarning[] = [];
  const { priceLists, errors } = validatePriceLists(input.priceLists);
  for (const e of errors) {
    warnings.push({
      code: e.error.code,
      message: e.error.message,
      path: ['priceLists', ...(e.error.details.path ?? [e.index])],
    });
  }
  const time = input.context.at === undefined ? undefined : parseAt(input.context.at);
  const groups = new Set(input.context.customer?.groups ?? []);
  const applicable: PriceList[] = [];
  for (const [i, list] of priceLists.entries()) {
    if (list.enabled === false) continue;
    if (list.currency !== undefined && list.currency !== input.currency) continue;
    if (list.customerGroups !== undefined && !list.customerGroups.some((g) => groups.has(g))) continue;
    if (
      list.channels !== undefined &&
      (input.context.channel === undefined || !list.channels.includes(input.context.channel))
    )
      continue;
    if (list.validFrom !== undefined || list.validUntil !== undefined) {
      if (time === undefined) {
        warnings.push({
          code: 'price_list.no_time',
          message: `Price list ${JSON.stringify(list.id)} has a validity window but the cart has no time; it was skipped`,
          path: ['priceLists', i],
        });
        continue;
      }
      if (list.validFrom !== undefined && time.epoch < Date.parse(list.validFrom)) continue;
      if (list.validUntil !== undefined && time.epoch >= Date.parse(list.validUntil)) continue;
    }
    applicable.push(list);
  }
  if (applicable.length === 0) return { prices: [], warnings };

  // Quantity breaks look at the whole cart, so splitting an sku over two lines (or scanning
  // it twice) gives the same price.
  const skuQuantity = new Map<string, Decimal>();
  const categoryQuantity = new Map<string, Decimal>();
  for (const l of input.lines) {
    if (l.quantity.lte(0)) continue;
    skuQuantity.set(l.sku, (skuQuantity.get(l.sku) ?? ZERO).plus(l.quantity));
    for (const c of new Set(l.categories))
      categoryQuantity.set(c, (categoryQuantity.get(c) ?? ZERO).plus(l.quantity));
  }

  const prices: PriceListResolution[] = [];
  for (const line of input.lines) {
    let chosen: { list: PriceList; price: Decimal } | undefined;
    for (const list of applicable) {
      const index = indexOf(list);
      const isReturn = line.quantity.lte(0);
      let entry = bestEntry(index.bySku.get(line.sku), isReturn ? ZERO : (skuQuantity.get(line.sku) ?? ZERO));
      if (entry === undefined) {
        let bestPrice: Decimal | undefined;
        for (const c of line.categories) {
          const e = bestEntry(index.byCategory.get(c), isReturn ? ZERO : (categoryQuantity.get(c) ?? ZERO));
          if (e === undefined) continue;
          const p = priceOf(e, line.unitPrice);
          if (bestPrice === undefined || p.lt(bestPrice)) {
            bestPrice = p;
            entry = e;
          }
        }
      }
      if (entry === undefined) continue;
      const price = priceOf(entry, line.unitPrice);
      if (chosen === undefined || better(list, price, chosen.list, chosen.price)) chosen = { list, price };
    }
    if (chosen === undefined || chosen.price.eq(line.unitPrice)) continue;
    prices.push({
      lineId: line.id,
      unitPrice: chosen.price,
      priceListId: chosen.list.id,
      label: chosen.list.label ?? 'Price list',
    });
  }
  return { prices, warnings };
}

function priceOf(entry: PriceListEntry, entered: Decimal): Decimal {
  if (entry.unitPrice !== undefined) return new Decimal(entry.unitPrice);
  const pct = new Decimal(entry.percentOff ?? '0');
  return roundToDecimals(entered.minus(entered.mul(pct).div(HUNDRED)), 6);
}

function better(list: PriceList, price: Decimal, other: PriceList, otherPrice: Decimal): boolean {
  const pa = list.priority ?? 0;
  const pb = other.priority ?? 0;
  if (pa !== pb) return pa > pb;
  const c = price.comparedTo(otherPrice);
  if (c !== 0) return c < 0;
  return list.id < other.id;
}
