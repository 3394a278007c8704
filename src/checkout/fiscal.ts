import type { PricedCart, PricedLine } from '../cart/types.js';
import type {
  FiscalLine,
  SaleTotals,
  StockMovementRecord,
  TaxTotal,
  TenderRecord,
} from '../journal/entries.js';
import { Decimal } from '../money/decimal.js';
import type { Tender } from '../payments/types.js';

const ZERO = new Decimal(0);
const fixed = (d: Decimal, decimals: number): string => d.toFixed(decimals);

/** What a catalog adds to a line for the fiscal record: its GTIN and goods group. */
export interface FiscalProductInfo {
  readonly gtin?: string;
  readonly group?: { readonly id: string; readonly name?: string };
}

function lineRecord(line: PricedLine, decimals: number, info: FiscalProductInfo | undefined): FiscalLine {
  const gross = line.priceIncludesTax ? new Decimal(line.total) : new Decimal(line.net).plus(line.tax);
  const surcharge = line.adjustments
    .filter((a) => new Decimal(a.amount).isNegative())
    .reduce((sum, a) => sum.minus(a.amount), ZERO);
  const first = line.taxes[0];
  const taxes = line.taxes.map((t) => {
    const base = new Decimal(t.base);
    const amount = new Decimal(t.amount);
    return {
      key: t.code || t.id,
      ...(t.rate === undefined ? {} : { rate: t.rate }),
      net: fixed(base, decimals),
      tax: fixed(amount, decimals),
      gross: fixed(base.plus(amount), decimals),
    };
  });
  return {
    lineId: line.id,
    itemNumber: line.sku,
    ...(info?.gtin ? { gtin: info.gtin } : {}),
    ...(info?.group
      ? { group: { id: info.group.id, ...(info.group.name ? { name: info.group.name } : {}) } }
      : {}),
    text: line.name ?? line.sku,
    quantity: line.quantity,
    ...(line.unit === 'each' ? {} : { unit: line.unit }),
    unitPrice: line.unitPrice,
    priceIncludesTax: line.priceIncludesTax,
    taxKey: first ? first.code || first.id : 'none',
    ...(first?.rate === undefined ? {} : { taxRate: first.rate }),
    taxes,
    gross: fixed(gross, decimals),
    net: line.net,
    tax: line.tax,
    parts: {
      base: line.subtotal,
      discount: fixed(new Decimal(line.discount).abs(), decimals),
      surcharge: fixed(surcharge, decimals),
    },
    ...(line.adjustments.length
      ? {
          adjustments: line.adjustments.map((a) => ({
            source: a.source,
            id: a.id,
            amount: a.amount,
            label: a.label || a.id,
          })),
        }
      : {}),
    ...(line.returnOf ? { returnOf: { saleId: line.returnOf.saleId, lineId: line.returnOf.lineId } } : {}),
  };
}

/** The tender record of an approved, not voided payment tender. */
export function tenderRecord(tender: Tender): TenderRecord {
  const type = tender.method === 'external' ? 'other' : tender.method;
  return {
    attemptId: tender.attemptId,
    type,
    provider: tender.provider,
    amount: tender.amount,
    ...(tender.tip ? { tip: tender.tip } : {}),
    ...(tender.tendered ? { tendered: tender.tendered } : {}),
    ...(tender.change ? { change: tender.change } : {}),
    ...(tender.rounding ? { rounding: tender.rounding } : {}),
    ...(tender.providerRef ? { providerRef: tender.providerRef } : {}),
    ...(tender.authCode ? { authCode: tender.authCode } : {}),
    ...(tender.card
      ? {
          card: {
            ...(tender.card.brand ? { brand: tender.card.brand } : {}),
            ...(tender.card.last4 ? { last4: tender.card.last4 } : {}),
            ...(tender.card.entryMode ? { entryMode: tender.card.entryMode } : {}),
          },
        }
      : {}),
  };
}

/** Tenders that count toward the sale: approved or partially approved, and not voided. */
export function settledTenders(tenders: readonly Tender[]): Tender[] {
  return tenders.filter(
    (t) => (t.status === 'approved' || t.status === 'partially_approved') && t.void !== 'voided',
  );
}

/**
 * The fiscal record of a priced cart: lines with every field a fiscal export reads, totals per
 * tax rate as printed, and the sale's totals. Pure.
 */
export function fiscalRecord(
  cart: PricedCart,
  decimals: number,
  productInfo: (sku: string) => FiscalProductInfo | undefined = () => undefined,
): { lines: FiscalLine[]; taxTotals: TaxTotal[]; totals: SaleTotals } {
  const lines = cart.lines.map((line) => lineRecord(line, decimals, productInfo(line.sku)));
  const taxTotals = cart.taxBreakdown.map((t) => ({
    key: t.code || t.id,
    ...(t.rate === undefined ? {} : { rate: t.rate }),
    net: t.base,
    tax: t.amount,
    gross: t.gross,
  }));
  const total = new Decimal(cart.totals.total);
  const cashRounding = new Decimal(cart.totals.cashRounding);
  return {
    lines,
    taxTotals,
    totals: {
      gross: cart.totals.total,
      net: cart.totals.net,
      tax: cart.totals.tax,
      discount: fixed(new Decimal(cart.totals.discount).abs(), decimals),
      cashRounding: cart.totals.cashRounding,
      paid: fixed(total.plus(cashRounding), decimals),
    },
  };
}

/**
 * The stock movements a completed sale (or return) causes: one per line, signed (a sale takes
 * stock out), with an id derived from the sale and the line so that a resend is a no-op.
 */
export function saleMovements(
  cart: PricedCart,
  saleId: string,
  location: string,
  channel: string,
  at: string,
): StockMovementRecord[] {
  return cart.lines.map((line) => {
    const quantity = new Decimal(line.quantity).neg();
    return {
      id: `${saleId}:${line.id}`,
      sku: line.sku,
      location,
      quantity: quantity.toFixed(),
      reason: quantity.isNegative() ? 'sale' : 'return',
      channel,
      ref: saleId,
      at,
    };
  });
}
