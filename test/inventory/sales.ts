import { priceCart } from '../../src/index.js';
import type { EntryDataMap } from '../../src/journal/index.js';

/** One line of a test sale. */
export interface TestLine {
  sku: string;
  quantity: number;
  unitPrice: string;
  category?: string;
  rate?: string;
}

/**
 * A sale.completed (or, with negative quantities, return.completed) payload as the checkout
 * writes it, with amounts from the real cart engine and one stock movement per line.
 */
export function saleData(
  saleId: string,
  lines: TestLine[],
  options: { location?: string; tender?: 'cash' | 'card'; customerGroup?: string; channel?: string } = {},
): EntryDataMap['sale.completed'] {
  const cart = priceCart(
    {
      currency: 'EUR',
      pricesIncludeTax: true,
      lines: lines.map((l, i) => ({
        id: `l${i + 1}`,
        sku: l.sku,
        name: l.sku,
        unitPrice: l.unitPrice,
        quantity: Math.abs(l.quantity),
        taxes: [{ id: `VAT${l.rate ?? '19'}`, rate: l.rate ?? '19' }],
      })),
    },
    {},
  );
  const sign = lines.some((l) => l.quantity < 0) ? '-' : '';
  const neg = (s: string) => (sign && s !== '0' && !/^0(\.0+)?$/.test(s) ? `-${s}` : s);
  return {
    saleId,
    receiptNumber: saleId,
    operator: { id: 'anna' },
    currency: 'EUR',
    cart,
    lines: cart.lines.map((line, i) => ({
      lineId: line.id,
      itemNumber: line.sku,
      ...(lines[i]?.category ? { group: { id: lines[i].category as string } } : {}),
      text: line.sku,
      quantity: neg(String(line.quantity)),
      unitPrice: line.unitPrice,
      priceIncludesTax: true,
      taxKey: line.taxes[0]?.id ?? 'VAT',
      taxRate: line.taxes[0]?.rate ?? '0',
      taxes: line.taxes.map((t) => ({
        key: t.id,
        rate: t.rate ?? '0',
        net: neg(line.net),
        tax: neg(t.amount),
        gross: neg(line.total),
      })),
      gross: neg(line.total),
      net: neg(line.net),
      tax: neg(line.tax),
      parts: { base: neg(line.subtotal), discount: line.discount, surcharge: '0.00' },
    })),
    taxTotals: cart.taxBreakdown.map((t) => ({
      key: t.id,
      rate: t.rate ?? '0',
      net: neg(t.base),
      tax: neg(t.amount),
      gross: neg(t.gross),
    })),
    totals: {
      gross: neg(cart.totals.total),
      net: neg(cart.totals.net),
      tax: neg(cart.totals.tax),
      discount: cart.totals.discount,
      cashRounding: '0.00',
      paid: neg(cart.totals.total),
    },
    tenders: [
      {
        attemptId: `att-${saleId}`,
        type: options.tender ?? 'card',
        provider: options.tender === 'cash' ? 'cash' : 'simulated',
        amount: neg(cart.totals.total),
        ...(options.tender === 'cash' ? {} : { providerRef: `pi_${saleId}` }),
      },
    ],
    ...(options.customerGroup ? { customer: { id: `c-${saleId}`, groups: [options.customerGroup] } } : {}),
    stockMovements: cart.lines.map((line, i) => ({
      id: `${saleId}:${line.id}`,
      sku: line.sku,
      location: options.location ?? 'shop',
      quantity: String(-(lines[i]?.quantity ?? 0)),
      reason: sign ? 'return' : 'sale',
      ...(options.channel ? { channel: options.channel } : {}),
    })),
  };
}
