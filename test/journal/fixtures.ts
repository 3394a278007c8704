import type { PricedCart } from '../../src/index.js';
import { priceCart } from '../../src/index.js';
import type { EntryDataMap } from '../../src/journal/index.js';

const baseCart: PricedCart = priceCart(
  {
    currency: 'EUR',
    pricesIncludeTax: true,
    lines: [
      {
        id: 'l1',
        sku: 'COFFEE',
        name: 'Coffee',
        unitPrice: '2.50',
        quantity: 2,
        taxes: [{ id: 'DE7', rate: '7' }],
      },
      {
        id: 'l2',
        sku: 'MUG',
        name: 'Mug',
        unitPrice: '9.90',
        quantity: 1,
        taxes: [{ id: 'DE19', rate: '19' }],
      },
    ],
  },
  {},
);

/** A sale.completed payload as the checkout would write it (amounts from the real cart engine). */
export function saleData(n: number): EntryDataMap['sale.completed'] {
  const cart = structuredClone(baseCart);
  return {
    saleId: `sale-${n}`,
    receiptNumber: String(n),
    operator: { id: 'anna', name: 'Anna' },
    currency: 'EUR',
    cart,
    lines: cart.lines.map((line) => ({
      lineId: line.id,
      itemNumber: line.sku,
      ...(line.sku === 'COFFEE' ? { gtin: '4006381333931' } : {}),
      group: { id: 'drinks' },
      text: line.name ?? line.sku,
      quantity: line.quantity,
      unit: line.unit,
      unitPrice: line.unitPrice,
      priceIncludesTax: line.priceIncludesTax,
      taxKey: line.taxes[0]!.id,
      taxRate: line.taxes[0]!.rate!,
      taxes: line.taxes.map((t) => ({
        key: t.id,
        rate: t.rate!,
        net: line.net,
        tax: t.amount,
        gross: line.total,
      })),
      gross: line.total,
      net: line.net,
      tax: line.tax,
      parts: { base: line.subtotal, discount: line.discount, surcharge: '0.00' },
    })),
    taxTotals: cart.taxBreakdown.map((t) => ({
      key: t.id,
      rate: t.rate!,
      net: t.base,
      tax: t.amount,
      gross: t.gross,
    })),
    totals: {
      gross: cart.totals.total,
      net: cart.totals.net,
      tax: cart.totals.tax,
      discount: cart.totals.discount,
      cashRounding: '0.00',
      paid: cart.totals.total,
    },
    tenders: [
      {
        attemptId: `att-${n}`,
        type: 'card',
        provider: 'simulated',
        amount: cart.totals.total,
        providerRef: `pi_${n}`,
        card: { brand: 'visa', last4: '4242' },
      },
    ],
    stockMovements: cart.lines.map((line) => ({
      id: `sale-${n}:${line.id}`,
      sku: line.sku,
      location: 'store1',
      quantity: `-${line.quantity}`,
      reason: 'sale',
    })),
  };
}

export const cashIn = (amount = '100.00'): EntryDataMap['cash.in'] => ({
  operator: { id: 'anna' },
  amount,
  currency: 'EUR',
  reason: 'float',
});
