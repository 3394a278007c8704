import { KassaError } from '../../errors.js';
import { Decimal } from '../../money/decimal.js';
import type { LineInput, PricedLine } from '../types.js';

/**
 * A return line for `quantity` units of a sold line, priced at what the customer actually
 * paid per unit (after promotions and discounts), so a return of a discounted item refunds the
 * discounted amount, not the list price. The price goes in as a price override in the line's
 * price mode, carrying `returnOf`; the line's taxes are kept.
 *
 * Partial returns refund their share of what was paid; pass `returned` (the units already
 * returned) so that returns one by one add up exactly to the amount paid.
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
  options: {
    saleId: string;
    id?: string;
    taxes?: LineInput['taxes'];
    taxCategory?: string;
    /** Units of this line already returned earlier, so that returns one by one add up to what was paid. */
    returned?: string | number;
    /** Decimals of the currency (default 2). */
    decimals?: number;
  },
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
  const before = new Decimal(options.returned ?? 0).abs();
  if (before.plus(q).gt(soldQty)) {
    throw new KassaError(
      'validation.invalid_quantity',
      `Cannot return ${q.toFixed()} more of ${soldQty.toFixed()}`,
      {
        path: ['quantity'],
      },
    );
  }
  // The amount paid in the line's price mode (gross when the price includes tax, else net),
  // without taxes added on top (a deposit comes back through the line's own taxes), shared
  // out so that successive returns add up exactly to it.
  const paid = new Decimal(line.subtotal).minus(line.discount);
  const decimals = options.decimals ?? 2;
  const share = (n: Decimal) => paid.mul(n).div(soldQty).toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP);
  const refund = share(before.plus(q)).minus(share(before));
  const unit = refund.div(q).toDecimalPlaces(6, Decimal.ROUND_HALF_UP);
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
