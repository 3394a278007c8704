import { KassaError } from '../../errors.js';
import { Decimal } from '../../money/decimal.js';
import type { LineInput, PricedLine } from '../types.js';

/**
 * A return line for `quantity` units of a sold line, priced at what the customer actually
 * paid per unit (after promotions and discounts), so a return of a discounted item refunds the
 * discounted amount, not the list price. The price goes in as a price override in the line's
 * price mode, carrying `returnOf`; the line's taxes are kept.
 *
 * Partial returns refund the paid unit price (6 decimals) times the quantity returned, rounded.
 *
 * @example
 * ```ts
 * const refund = priceCart({ currency: 'EUR', lines: [returnLineFor(sale, 'line-2', 1, { saleId: 'S-1' })] }, rules);
 * ```
 * @throws KassaError `validation.unknown_line`, `validation.invalid_quantity`
 */
export function returnLineFor(
  sold: { lines: readonly PricedLine[] },
  lineId: string,
  quantity: string | number,
  options: { saleId: string; id?: string; taxes?: LineInput['taxes']; taxCategory?: string },
): LineInput {
  const line = sold.lines.find((l) => l.id === lineId);
  if (line === undefined) {
    throw new KassaError('validation.unknown_line', `No line ${JSON.stringify(lineId)} in the sale`, {
      path: ['lineId'],
    });
  }
  const soldQty = new Decimal(line.quantity);
  const q = new Decimal(quantity).abs();
  if (q.isZero() || q.gt(soldQty)) {
    throw new KassaError(
      'validation.invalid_quantity',
      `Cannot return ${q.toFixed()} of ${soldQty.toFixed()}`,
      {
        path: ['quantity'],
      },
    );
  }
  // The amount paid in the line's price mode: gross when the price includes tax, else net.
  const paid = new Decimal(line.priceIncludesTax ? line.total : line.net);
  const unit = paid.div(soldQty).toDecimalPlaces(6, Decimal.ROUND_HALF_UP);
  const out: LineInput = {
    id: options.id ?? `return-${line.id}`,
    sku: line.sku,
    categories: [...line.categories],
    unitPrice: line.unitPrice,
    quantity: q.neg().toFixed(),
    unit: line.unit,
    priceIncludesTax: line.priceIncludesTax,
    priceOverride: { unitPrice: unit.toFixed(), reason: 'Return at the price paid' },
    returnOf: { saleId: options.saleId, lineId: line.id },
  };
  if (line.name !== undefined) out.name = line.name;
  if (options.taxes !== undefined) out.taxes = options.taxes;
  if (options.taxCategory !== undefined) out.taxCategory = options.taxCategory;
  return out;
}
