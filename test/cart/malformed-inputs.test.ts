/**
 * Malformed inputs: each is rejected by `priceCart` and by the matching `createCart`
 * command with a `validation.*` KassaError whose `details.path` names the field, and
 * nothing changes: not the caller's input, not the store's snapshot, input or emissions.
 */
import { describe, expect, it } from 'vitest';
import { type CartStore, createCart, priceCart } from '../../src/cart/index.js';
import type { CartInput, PricingRules } from '../../src/cart/types.js';
import { isKassaError, type KassaError } from '../../src/errors.js';

const RULES: PricingRules = { taxCategories: { std: [{ id: 'v19', rate: '19' }] } };

function baseCart(): CartInput {
  return {
    currency: 'EUR',
    lines: [
      { id: 'a', sku: 'a', unitPrice: '10.00', quantity: 2, taxCategory: 'std' },
      { id: 'k', sku: 'k', unitPrice: '3.00', quantity: '0.5', unit: 'kg' },
    ],
    discounts: [{ id: 'c', kind: 'percent', value: '5' }],
    customer: { id: 'cust-1' },
  };
}

function baseStore(): CartStore {
  const cart = createCart({ currency: 'EUR', rules: RULES });
  cart.add({ id: 'a', sku: 'a', unitPrice: '10.00', quantity: 2, taxCategory: 'std' });
  cart.add({ id: 'k', sku: 'k', unitPrice: '3.00', quantity: '0.5', unit: 'kg' });
  cart.applyDiscount({ id: 'c', kind: 'percent', value: '5' });
  cart.setCustomer({ id: 'cust-1' });
  return cart;
}

// biome-ignore lint/suspicious/noExplicitAny: malformed inputs are not well typed on purpose.
type Any = any;
const lineA = (c: CartInput): Any => c.lines[0];

interface Case {
  name: string;
  /** Makes the bad cart (or bad rules) for priceCart. */
  cart?: (c: CartInput) => void;
  rules?: PricingRules;
  path: (string | number)[];
  /** The same mistake through the store, and the path relative to the command. */
  command: (s: CartStore) => unknown;
  commandPath: (string | number)[];
}

const CASES: Case[] = [
  {
    name: 'unit price NaN (number)',
    cart: (c) => {
      lineA(c).unitPrice = Number.NaN;
    },
    path: ['lines', 0, 'unitPrice'],
    command: (s) => s.add({ sku: 'x', unitPrice: Number.NaN as Any }),
    commandPath: ['unitPrice'],
  },
  {
    name: "unit price 'NaN'",
    cart: (c) => {
      lineA(c).unitPrice = 'NaN';
    },
    path: ['lines', 0, 'unitPrice'],
    command: (s) => s.add({ sku: 'x', unitPrice: 'NaN' }),
    commandPath: ['unitPrice'],
  },
  {
    name: "unit price 'Infinity'",
    cart: (c) => {
      lineA(c).unitPrice = 'Infinity';
    },
    path: ['lines', 0, 'unitPrice'],
    command: (s) => s.add({ sku: 'x', unitPrice: 'Infinity' }),
    commandPath: ['unitPrice'],
  },
  {
    name: "unit price '1e999'",
    cart: (c) => {
      lineA(c).unitPrice = '1e999';
    },
    path: ['lines', 0, 'unitPrice'],
    command: (s) => s.add({ sku: 'x', unitPrice: '1e999' }),
    commandPath: ['unitPrice'],
  },
  {
    name: "unit price '12,50'",
    cart: (c) => {
      lineA(c).unitPrice = '12,50';
    },
    path: ['lines', 0, 'unitPrice'],
    command: (s) => s.add({ sku: 'x', unitPrice: '12,50' }),
    commandPath: ['unitPrice'],
  },
  {
    name: 'negative unit price',
    cart: (c) => {
      lineA(c).unitPrice = '-1.00';
    },
    path: ['lines', 0, 'unitPrice'],
    command: (s) => s.add({ sku: 'x', unitPrice: '-1.00' }),
    commandPath: ['unitPrice'],
  },
  {
    name: 'unit price with 7 decimals',
    cart: (c) => {
      lineA(c).unitPrice = '1.1234567';
    },
    path: ['lines', 0, 'unitPrice'],
    command: (s) => s.add({ sku: 'x', unitPrice: '1.1234567' }),
    commandPath: ['unitPrice'],
  },
  {
    name: 'unit price padded with spaces',
    cart: (c) => {
      lineA(c).unitPrice = ' 12.50 ';
    },
    path: ['lines', 0, 'unitPrice'],
    command: (s) => s.add({ sku: 'x', unitPrice: ' 12.50 ' }),
    commandPath: ['unitPrice'],
  },
  {
    name: 'empty unit price',
    cart: (c) => {
      lineA(c).unitPrice = '';
    },
    path: ['lines', 0, 'unitPrice'],
    command: (s) => s.add({ sku: 'x', unitPrice: '' }),
    commandPath: ['unitPrice'],
  },
  {
    name: 'quantity NaN',
    cart: (c) => {
      lineA(c).quantity = Number.NaN;
    },
    path: ['lines', 0, 'quantity'],
    command: (s) => s.setQuantity('a', Number.NaN),
    commandPath: ['quantity'],
  },
  {
    name: 'quantity Infinity',
    cart: (c) => {
      lineA(c).quantity = Number.POSITIVE_INFINITY;
    },
    path: ['lines', 0, 'quantity'],
    command: (s) => s.setQuantity('a', Number.POSITIVE_INFINITY),
    commandPath: ['quantity'],
  },
  {
    name: "quantity '1e5'",
    cart: (c) => {
      lineA(c).quantity = '1e5';
    },
    path: ['lines', 0, 'quantity'],
    command: (s) => s.setQuantity('a', '1e5'),
    commandPath: ['quantity'],
  },
  {
    name: 'quantity zero',
    cart: (c) => {
      lineA(c).quantity = 0;
    },
    path: ['lines', 0, 'quantity'],
    command: (s) => s.setQuantity('a', 0),
    commandPath: ['quantity'],
  },
  {
    name: '1.5 of an each item',
    cart: (c) => {
      lineA(c).quantity = 1.5;
    },
    path: ['lines', 0, 'quantity'],
    command: (s) => s.add({ sku: 'x', unitPrice: '1.00', quantity: 1.5 }),
    commandPath: ['quantity'],
  },
  {
    name: '1.5 of an each item by setQuantity',
    cart: (c) => {
      lineA(c).quantity = '1.5';
    },
    path: ['lines', 0, 'quantity'],
    command: (s) => s.setQuantity('a', '1.5'),
    commandPath: ['quantity'],
  },
  {
    name: 'float noise quantity (0.1 + 0.2 kg)',
    cart: (c) => {
      (c.lines[1] as Any).quantity = 0.1 + 0.2;
    },
    path: ['lines', 1, 'quantity'],
    command: (s) => s.setQuantity('k', 0.1 + 0.2),
    commandPath: ['quantity'],
  },
  {
    name: 'quantity with 7 decimals',
    cart: (c) => {
      (c.lines[1] as Any).quantity = '0.0000001';
    },
    path: ['lines', 1, 'quantity'],
    command: (s) => s.setQuantity('k', '0.0000001'),
    commandPath: ['quantity'],
  },
  {
    name: 'quantity as a boolean',
    cart: (c) => {
      lineA(c).quantity = true;
    },
    path: ['lines', 0, 'quantity'],
    command: (s) => s.setQuantity('a', true as Any),
    commandPath: ['quantity'],
  },
  {
    name: 'unknown tax category',
    cart: (c) => {
      lineA(c).taxCategory = 'nope';
    },
    path: ['lines', 0, 'taxCategory'],
    command: (s) => s.add({ sku: 'x', unitPrice: '1.00', taxCategory: 'nope' }),
    commandPath: ['taxCategory'],
  },
  {
    name: 'duplicate line ids',
    cart: (c) => {
      (c.lines[1] as Any).id = 'a';
    },
    path: ['lines', 1, 'id'],
    command: (s) => s.add({ id: 'a', sku: 'other', unitPrice: '1.00' }),
    commandPath: ['id'],
  },
  {
    name: 'empty line id',
    cart: (c) => {
      lineA(c).id = '';
    },
    path: ['lines', 0, 'id'],
    command: (s) => s.add({ id: '', sku: 'x', unitPrice: '1.00' }),
    commandPath: ['id'],
  },
  {
    name: 'line discount over 100 %',
    cart: (c) => {
      lineA(c).discounts = [{ id: 'd', kind: 'percent', value: '101' }];
    },
    path: ['lines', 0, 'discounts', 0, 'value'],
    command: (s) => s.applyDiscount({ id: 'd', kind: 'percent', value: '101' }, { lineId: 'a' }),
    commandPath: ['value'],
  },
  {
    name: 'cart discount over 100 %',
    cart: (c) => {
      c.discounts = [{ id: 'd', kind: 'percent', value: '150' }];
    },
    path: ['discounts', 0, 'value'],
    command: (s) => s.applyDiscount({ id: 'd', kind: 'percent', value: '150' }),
    commandPath: ['value'],
  },
  {
    name: 'negative discount',
    cart: (c) => {
      c.discounts = [{ id: 'd', kind: 'amount', value: '-5' }];
    },
    path: ['discounts', 0, 'value'],
    command: (s) => s.applyDiscount({ id: 'd', kind: 'amount', value: '-5' }),
    commandPath: ['value'],
  },
  {
    name: "discount value '1e2'",
    cart: (c) => {
      c.discounts = [{ id: 'd', kind: 'amount', value: '1e2' }];
    },
    path: ['discounts', 0, 'value'],
    command: (s) => s.applyDiscount({ id: 'd', kind: 'amount', value: '1e2' }),
    commandPath: ['value'],
  },
  {
    name: 'unknown discount kind',
    cart: (c) => {
      c.discounts = [{ id: 'd', kind: 'bogus', value: '5' } as Any];
    },
    path: ['discounts', 0, 'kind'],
    command: (s) => s.applyDiscount({ id: 'd', kind: 'bogus', value: '5' } as Any),
    commandPath: ['kind'],
  },
  {
    name: 'duplicate line discount ids',
    cart: (c) => {
      lineA(c).discounts = [
        { id: 'd', kind: 'percent', value: '1' },
        { id: 'd', kind: 'percent', value: '2' },
      ];
    },
    path: ['lines', 0, 'discounts', 1, 'id'],
    command: (s) =>
      s.add({
        sku: 'x',
        unitPrice: '1.00',
        discounts: [
          { id: 'd', kind: 'percent', value: '1' },
          { id: 'd', kind: 'percent', value: '2' },
        ],
      }),
    commandPath: ['discounts', 1, 'id'],
  },
  {
    name: 'percent tax without a rate',
    cart: (c) => {
      delete lineA(c).taxCategory;
      lineA(c).taxes = [{ id: 't' }];
    },
    path: ['lines', 0, 'taxes', 0, 'rate'],
    command: (s) => s.add({ sku: 'x', unitPrice: '1.00', taxes: [{ id: 't' }] }),
    commandPath: ['taxes', 0, 'rate'],
  },
  {
    name: 'fixed tax without an amount',
    cart: (c) => {
      delete lineA(c).taxCategory;
      lineA(c).taxes = [{ id: 't', kind: 'fixed' }];
    },
    path: ['lines', 0, 'taxes', 0, 'amount'],
    command: (s) => s.add({ sku: 'x', unitPrice: '1.00', taxes: [{ id: 't', kind: 'fixed' }] }),
    commandPath: ['taxes', 0, 'amount'],
  },
  {
    name: 'division tax of 100 %',
    cart: (c) => {
      delete lineA(c).taxCategory;
      lineA(c).taxes = [{ id: 't', kind: 'division', rate: '100' }];
    },
    path: ['lines', 0, 'taxes', 0, 'rate'],
    command: (s) =>
      s.add({ sku: 'x', unitPrice: '1.00', taxes: [{ id: 't', kind: 'division', rate: '100' }] }),
    commandPath: ['taxes', 0, 'rate'],
  },
  {
    name: 'negative tax rate',
    cart: (c) => {
      delete lineA(c).taxCategory;
      lineA(c).taxes = [{ id: 't', rate: '-5' }];
    },
    path: ['lines', 0, 'taxes', 0, 'rate'],
    command: (s) => s.add({ sku: 'x', unitPrice: '1.00', taxes: [{ id: 't', rate: '-5' }] }),
    commandPath: ['taxes', 0, 'rate'],
  },
  {
    name: 'tax rate that is not a number',
    cart: (c) => {
      delete lineA(c).taxCategory;
      lineA(c).taxes = [{ id: 't', rate: 'abc' }];
    },
    path: ['lines', 0, 'taxes', 0, 'rate'],
    command: (s) => s.add({ sku: 'x', unitPrice: '1.00', taxes: [{ id: 't', rate: 'abc' }] }),
    commandPath: ['taxes', 0, 'rate'],
  },
  {
    name: 'unknown tax kind',
    cart: (c) => {
      delete lineA(c).taxCategory;
      lineA(c).taxes = [{ id: 't', kind: 'vat', rate: '5' }];
    },
    path: ['lines', 0, 'taxes', 0, 'kind'],
    command: (s) =>
      s.add({ sku: 'x', unitPrice: '1.00', taxes: [{ id: 't', kind: 'vat', rate: '5' } as Any] }),
    commandPath: ['taxes', 0, 'kind'],
  },
  {
    name: 'fractional tax sequence',
    cart: (c) => {
      delete lineA(c).taxCategory;
      lineA(c).taxes = [{ id: 't', rate: '5', sequence: 1.5 }];
    },
    path: ['lines', 0, 'taxes', 0, 'sequence'],
    command: (s) => s.add({ sku: 'x', unitPrice: '1.00', taxes: [{ id: 't', rate: '5', sequence: 1.5 }] }),
    commandPath: ['taxes', 0, 'sequence'],
  },
  {
    name: 'both taxes and a tax category',
    cart: (c) => {
      lineA(c).taxes = [{ id: 't', rate: '5' }];
    },
    path: ['lines', 0, 'taxes'],
    command: (s) =>
      s.add({ sku: 'x', unitPrice: '1.00', taxes: [{ id: 't', rate: '5' }], taxCategory: 'std' }),
    commandPath: ['taxes'],
  },
  {
    name: 'price override without a reason',
    cart: (c) => {
      lineA(c).priceOverride = { unitPrice: '5.00', reason: '' };
    },
    path: ['lines', 0, 'priceOverride', 'reason'],
    command: (s) => s.overridePrice('a', { unitPrice: '5.00', reason: '' }),
    commandPath: ['priceOverride', 'reason'],
  },
  {
    name: 'negative price override',
    cart: (c) => {
      lineA(c).priceOverride = { unitPrice: '-5.00', reason: 'damaged' };
    },
    path: ['lines', 0, 'priceOverride', 'unitPrice'],
    command: (s) => s.overridePrice('a', { unitPrice: '-5.00', reason: 'damaged' }),
    commandPath: ['priceOverride', 'unitPrice'],
  },
  {
    name: 'malformed unit',
    cart: (c) => {
      lineA(c).unit = 'k g';
    },
    path: ['lines', 0, 'unit'],
    command: (s) => s.add({ sku: 'x', unitPrice: '1.00', unit: 'k g' }),
    commandPath: ['unit'],
  },
  {
    name: 'empty category',
    cart: (c) => {
      lineA(c).categories = [''];
    },
    path: ['lines', 0, 'categories', 0],
    command: (s) => s.add({ sku: 'x', unitPrice: '1.00', categories: [''] }),
    commandPath: ['categories', 0],
  },
  {
    name: 'return of an empty sale id',
    cart: (c) => {
      lineA(c).returnOf = { saleId: '', lineId: 'l1' };
    },
    path: ['lines', 0, 'returnOf', 'saleId'],
    command: (s) =>
      s.add({ sku: 'x', unitPrice: '1.00', quantity: -1, returnOf: { saleId: '', lineId: 'l1' } }),
    commandPath: ['returnOf', 'saleId'],
  },
  {
    name: 'customer with an empty id',
    cart: (c) => {
      c.customer = { id: '' };
    },
    path: ['customer', 'id'],
    command: (s) => s.setCustomer({ id: '' }),
    commandPath: ['id'],
  },
  {
    name: 'customer tax exemption that is not a boolean',
    cart: (c) => {
      c.customer = { id: 'x', taxExempt: 'yes' as Any };
    },
    path: ['customer', 'taxExempt'],
    command: (s) => s.setCustomer({ id: 'x', taxExempt: 'yes' as Any }),
    commandPath: ['taxExempt'],
  },
  {
    name: 'unit price too large to compute exactly (16 digits)',
    cart: (c) => {
      lineA(c).unitPrice = '1234567890123456';
    },
    path: ['lines', 0, 'unitPrice'],
    command: (s) => s.add({ sku: 'x', unitPrice: '1234567890123456' }),
    commandPath: ['unitPrice'],
  },
  {
    name: 'quantity of a billion',
    cart: (c) => {
      (c.lines[1] as Any).quantity = '1000000000';
    },
    path: ['lines', 1, 'quantity'],
    command: (s) => s.setQuantity('k', '1000000000'),
    commandPath: ['quantity'],
  },
  {
    name: 'tax rate of 10000 %',
    cart: (c) => {
      delete lineA(c).taxCategory;
      lineA(c).taxes = [{ id: 't', rate: '10000' }];
    },
    path: ['lines', 0, 'taxes', 0, 'rate'],
    command: (s) => s.add({ sku: 'x', unitPrice: '1.00', taxes: [{ id: 't', rate: '10000' }] }),
    commandPath: ['taxes', 0, 'rate'],
  },
  {
    name: 'the same tax twice on a line',
    cart: (c) => {
      delete lineA(c).taxCategory;
      lineA(c).taxes = [
        { id: 'vat', rate: '19' },
        { id: 'vat', rate: '19' },
      ];
    },
    path: ['lines', 0, 'taxes', 1, 'id'],
    command: (s) =>
      s.add({
        sku: 'x',
        unitPrice: '1.00',
        taxes: [
          { id: 'vat', rate: '19' },
          { id: 'vat', rate: '19' },
        ],
      }),
    commandPath: ['taxes', 1, 'id'],
  },
  {
    name: 'the same tax twice in a tax category',
    rules: {
      taxCategories: {
        std: [
          { id: 'v19', rate: '19' },
          { id: 'v19', rate: '7' },
        ],
      },
    },
    path: ['taxCategories', 'std', 1, 'id'],
    command: (s) =>
      s.setRules({
        taxCategories: {
          std: [
            { id: 'v19', rate: '19' },
            { id: 'v19', rate: '7' },
          ],
        },
      }),
    commandPath: ['taxCategories', 'std', 1, 'id'],
  },
  {
    name: 'price below the deposit it includes',
    cart: (c) => {
      delete lineA(c).taxCategory;
      lineA(c).priceIncludesTax = true;
      lineA(c).unitPrice = '0.10';
      lineA(c).taxes = [{ id: 'deposit', kind: 'fixed', amount: '0.25' }];
    },
    path: ['lines', 0, 'unitPrice'],
    command: (s) =>
      s.add({
        sku: 'x',
        unitPrice: '0.10',
        priceIncludesTax: true,
        taxes: [{ id: 'deposit', kind: 'fixed', amount: '0.25' }],
      }),
    commandPath: ['unitPrice'],
  },
  {
    name: 'rounding step finer than the currency',
    rules: { ...RULES, rounding: { step: '0.003' } },
    path: ['rounding', 'step'],
    command: (s) => s.setRules({ ...RULES, rounding: { step: '0.003' } }),
    commandPath: ['rounding', 'step'],
  },
  {
    name: 'zero cash rounding step',
    rules: { ...RULES, rounding: { cash: { step: '0' } } },
    path: ['rounding', 'cash', 'step'],
    command: (s) => s.setRules({ ...RULES, rounding: { cash: { step: '0' } } }),
    commandPath: ['rounding', 'cash', 'step'],
  },
  {
    name: 'cash rounding step finer than the currency',
    rules: { ...RULES, rounding: { cash: { step: '0.001' } } },
    path: ['rounding', 'cash', 'step'],
    command: (s) => s.setRules({ ...RULES, rounding: { cash: { step: '0.001' } } }),
    commandPath: ['rounding', 'cash', 'step'],
  },
  {
    name: 'unknown rounding mode',
    rules: { ...RULES, rounding: { mode: 'bankers' as Any } },
    path: ['rounding', 'mode'],
    command: (s) => s.setRules({ ...RULES, rounding: { mode: 'bankers' as Any } }),
    commandPath: ['rounding', 'mode'],
  },
  {
    name: 'unknown tax rounding policy',
    rules: { ...RULES, rounding: { tax: 'per-invoice' as Any } },
    path: ['rounding', 'tax'],
    command: (s) => s.setRules({ ...RULES, rounding: { tax: 'per-invoice' as Any } }),
    commandPath: ['rounding', 'tax'],
  },
];

function caught(fn: () => unknown): KassaError {
  try {
    fn();
  } catch (error) {
    if (isKassaError(error)) return error;
    throw new Error(`expected a KassaError, got ${String(error)}`);
  }
  throw new Error('expected the call to be rejected');
}

describe('malformed inputs', () => {
  it('has at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  for (const c of CASES) {
    describe(c.name, () => {
      it('priceCart rejects it with the field path and leaves the input as it was', () => {
        const input = baseCart();
        c.cart?.(input);
        const rules = c.rules ?? RULES;
        const before = structuredClone({ input, rules });
        const error = caught(() => priceCart(input, rules));
        expect(error.code).toMatch(/^validation\./);
        expect(error.details.path).toEqual(c.path);
        expect(error.details.issues?.[0]?.path ?? error.details.path).toEqual(c.path);
        expect({ input, rules }).toEqual(before);
      });

      it('the store command rejects it and nothing changes', () => {
        const store = baseStore();
        const snapshot = store.snapshot();
        const input = store.input();
        const rules = store.rules();
        const emitted: unknown[] = [];
        const sub = store.state$.subscribe((s) => emitted.push(s));
        const heard: unknown[] = [];
        const unsubscribe = store.subscribe((s) => heard.push(s));
        const error = caught(() => c.command(store));
        sub.unsubscribe();
        unsubscribe();
        expect(error.code).toMatch(/^validation\./);
        expect(error.details.path).toEqual(c.commandPath);
        expect(store.snapshot()).toBe(snapshot);
        expect(store.input()).toEqual(input);
        expect(store.rules()).toEqual(rules);
        expect(emitted).toHaveLength(1); // only the replayed current state
        expect(heard).toHaveLength(0);
      });
    });
  }

  it('an unknown currency is rejected by priceCart and by createCart', () => {
    for (const currency of ['XXX', 'eur', '', 'EURO']) {
      const p = caught(() => priceCart({ currency, lines: [] }));
      expect([p.code, p.details.path]).toEqual(['validation.invalid_currency', ['currency']]);
      const s = caught(() => createCart({ currency }));
      expect([s.code, s.details.path]).toEqual(['validation.invalid_currency', ['currency']]);
    }
  });

  it('commands on missing lines and discounts name what is missing', () => {
    const store = baseStore();
    const snapshot = store.snapshot();
    for (const [fn, code, path] of [
      [() => store.setQuantity('zz', 1), 'validation.unknown_line', ['lineId']],
      [() => store.remove('zz'), 'validation.unknown_line', ['lineId']],
      [
        () => store.overridePrice('zz', { unitPrice: '1', reason: 'r' }),
        'validation.unknown_line',
        ['lineId'],
      ],
      [() => store.removeDiscount('zz'), 'validation.unknown_discount', ['discountId']],
      [() => store.removeDiscount('zz', { lineId: 'a' }), 'validation.unknown_discount', ['discountId']],
      [
        () => store.applyDiscount({ id: 'd', kind: 'percent', value: '5' }, { lineId: 'zz' }),
        'validation.unknown_line',
        ['lineId'],
      ],
      [() => store.add({ sku: 'no-price' }), 'validation.unknown_product', ['sku']],
    ] as const) {
      const e = caught(fn);
      expect([e.code, e.details.path]).toEqual([code, path]);
    }
    expect(store.snapshot()).toBe(snapshot);
  });
});
