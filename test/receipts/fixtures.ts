import type { PricedCart } from '../../src/cart/types.js';
import type { ReceiptSale } from '../../src/receipts/index.js';

/** A priced cart as `priceCart` returns it: prices include tax, two rates, a measured item, a promotion. */
export function pricedCart(): PricedCart {
  return {
    currency: 'EUR',
    pricesIncludeTax: true,
    lines: [
      {
        id: 'l1',
        sku: 'GOUDA-OLD',
        name: 'Oude Gouda',
        categories: ['cheese'],
        unit: 'kg',
        unitPrice: '18.90',
        listUnitPrice: '18.90',
        quantity: '0.375',
        priceIncludesTax: true,
        subtotal: '7.09',
        discount: '0.00',
        net: '6.50',
        tax: '0.59',
        total: '7.09',
        taxes: [
          {
            id: 'vat-low',
            kind: 'percent',
            rate: '9',
            code: 'A',
            base: '6.50',
            amount: '0.59',
            included: true,
          },
        ],
        adjustments: [],
      },
      {
        id: 'l2',
        sku: 'STROOP',
        name: 'Stroopwafels (8 st.)',
        categories: ['sweets'],
        unit: 'each',
        unitPrice: '2.49',
        listUnitPrice: '2.49',
        quantity: '2',
        priceIncludesTax: true,
        subtotal: '4.98',
        discount: '1.25',
        net: '3.42',
        tax: '0.31',
        total: '3.73',
        taxes: [
          {
            id: 'vat-low',
            kind: 'percent',
            rate: '9',
            code: 'A',
            base: '3.42',
            amount: '0.31',
            included: true,
          },
        ],
        adjustments: [{ source: 'promotion', id: 'p1', amount: '1.25', label: '2nd at half price' }],
      },
      {
        id: 'l3',
        sku: 'TOTE',
        name: 'Canvas tote bag',
        categories: ['bags'],
        unit: 'each',
        unitPrice: '12.10',
        listUnitPrice: '12.10',
        quantity: '1',
        priceIncludesTax: true,
        subtotal: '12.10',
        discount: '0.00',
        net: '10.00',
        tax: '2.10',
        total: '12.10',
        taxes: [
          {
            id: 'vat-high',
            kind: 'percent',
            rate: '21',
            code: 'B',
            base: '10.00',
            amount: '2.10',
            included: true,
          },
        ],
        adjustments: [],
      },
    ],
    totals: {
      subtotal: '24.17',
      discount: '1.25',
      net: '19.92',
      tax: '3.00',
      total: '22.92',
      cashRounding: '-0.02',
      cashTotal: '22.90',
      itemCount: '4',
    },
    taxBreakdown: [
      { id: 'vat-low', kind: 'percent', rate: '9', code: 'A', base: '9.92', amount: '0.90', gross: '10.82' },
      {
        id: 'vat-high',
        kind: 'percent',
        rate: '21',
        code: 'B',
        base: '10.00',
        amount: '2.10',
        gross: '12.10',
      },
    ],
    appliedPromotions: [{ id: 'p1', amount: '1.25', lineIds: ['l2'], label: '2nd at half price' }],
    discounts: [],
    coupons: [],
    warnings: [],
    loyalty: { programId: 'club', points: '22' },
  };
}

export function plainSale(): ReceiptSale {
  return {
    cart: pricedCart(),
    tenders: [{ method: 'cash', amount: '25.00', change: '2.10' }],
    store: {
      name: 'De Kaasboer',
      address: ['Markt 12', '2611 GW Delft'],
      vatNumber: 'NL001234567B01',
    },
    receiptNumber: 'R-2026-000123',
    time: '2026-11-27T14:03:00Z',
    cashier: 'Anna',
    register: '2',
  };
}

export function splitSale(): ReceiptSale {
  return {
    ...plainSale(),
    receiptNumber: 'R-2026-000124',
    tenders: [
      {
        method: 'card',
        amount: '10.00',
        brand: 'VISA',
        last4: '4242',
        authCode: 'A1B2C3',
        entryMode: 'contactless',
      },
      { method: 'cash', amount: '12.90', tendered: '15.00', change: '2.10', rounding: '-0.02' },
    ],
    loyalty: { memberId: 'C-77', balance: '340' },
  };
}

export function returnSale(): ReceiptSale {
  const cart = pricedCart();
  const line = cart.lines[2]!;
  const returned: PricedCart = {
    ...cart,
    lines: [{ ...line, quantity: '-1', subtotal: '-12.10', net: '-10.00', tax: '-2.10', total: '-12.10' }],
    totals: {
      subtotal: '-12.10',
      discount: '0.00',
      net: '-10.00',
      tax: '-2.10',
      total: '-12.10',
      cashRounding: '0.00',
      cashTotal: '-12.10',
      itemCount: '-1',
    },
    taxBreakdown: [
      {
        id: 'vat-high',
        kind: 'percent',
        rate: '21',
        code: 'B',
        base: '-10.00',
        amount: '-2.10',
        gross: '-12.10',
      },
    ],
    appliedPromotions: [],
    loyalty: { programId: 'club', points: '-12' },
  };
  return {
    cart: returned,
    tenders: [{ method: 'card', amount: '-12.10', brand: 'Mastercard', last4: '0005', authCode: '998877' }],
    store: plainSale().store,
    receiptNumber: 'R-2026-000130',
    time: '2026-11-28T09:15:00Z',
    return: { originalReceipt: 'R-2026-000123' },
    lookup: { type: 'qr', value: 'https://kaasboer.example/r/R-2026-000130' },
  };
}

const MONEY_KEYS = new Set([
  'unitPrice',
  'listUnitPrice',
  'subtotal',
  'discount',
  'net',
  'tax',
  'total',
  'base',
  'amount',
  'gross',
  'cashRounding',
  'cashTotal',
  'tendered',
  'change',
  'rounding',
]);

function times100(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(times100);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (MONEY_KEYS.has(k) && typeof v === 'string' && /^-?\d+\.\d\d$/.test(v)) {
      // shift the decimal point two places: 22.92 -> 2292.00, exactly, without a float
      const negative = v.startsWith('-');
      const digits = v
        .replace('-', '')
        .replace('.', '')
        .replace(/^0+(?=\d)/, '');
      out[k] = `${negative ? '-' : ''}${digits}.00`;
    } else out[k] = times100(v);
  }
  return out;
}

/** The split-tender sale with every amount a hundred times larger: totals over 1,000. */
export function largeSale(): ReceiptSale {
  return times100(splitSale()) as ReceiptSale;
}
