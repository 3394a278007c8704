import { describe, expect, it } from 'vitest';
import { priceCart } from '../../src/cart/index.js';
import { fixed, line, pct, price, taxAmounts } from './helpers.js';

const deposit = () => [fixed('deposit', '0.25'), pct('vat19', '19', { compound: true })];

describe('tax rounding policies (the worked example of docs/tax.md)', () => {
  const lines = ['a', 'b', 'c'].map((id) => line(id, '1.99', 1, [pct('vat19', '19')]));

  it('per line: each line rounds its own tax', () => {
    const c = price('EUR', lines, {}, { pricesIncludeTax: true });
    expect(c.lines.map((l) => l.tax)).toEqual(['0.32', '0.32', '0.32']);
    expect([c.totals.net, c.totals.tax, c.totals.total]).toEqual(['5.01', '0.96', '5.97']);
  });

  it('per total: the tax is rounded once and spread back, the lines still add up', () => {
    const c = price('EUR', lines, { rounding: { tax: 'per-total' } }, { pricesIncludeTax: true });
    expect(c.lines.map((l) => l.tax)).toEqual(['0.32', '0.32', '0.31']);
    expect([c.totals.net, c.totals.tax, c.totals.total]).toEqual(['5.02', '0.95', '5.97']);
    expect(c.taxBreakdown).toEqual([
      expect.objectContaining({ id: 'vat19', rate: '19', base: '5.02', amount: '0.95', gross: '5.97' }),
    ]);
  });

  it('per unit: the tax of one unit is rounded, then multiplied', () => {
    const one = [line('a', '1.99', 3, [pct('vat19', '19')])];
    expect(price('EUR', one, {}, { pricesIncludeTax: true }).totals.tax).toBe('0.95');
    expect(price('EUR', one, { rounding: { tax: 'per-unit' } }, { pricesIncludeTax: true }).totals.tax).toBe(
      '0.96',
    );
  });

  it('per total, the cents left over go to the largest remainders', () => {
    // 7 % of 0.10, 0.20, 0.50: exact 0.007, 0.014, 0.035, total 0.056 → 0.06. Rounded down
    // the lines hold 0.04; the two cents left go to remainders 0.7 and 0.5, not 0.4.
    const c = price(
      'EUR',
      [
        line('a', '0.10', 1, [pct('v7', '7')]),
        line('b', '0.20', 1, [pct('v7', '7')]),
        line('c', '0.50', 1, [pct('v7', '7')]),
      ],
      { rounding: { tax: 'per-total' } },
    );
    expect(c.lines.map((l) => l.tax)).toEqual(['0.01', '0.01', '0.04']);
  });

  it('the spread of per-total rounding does not depend on the order of the lines', () => {
    const reversed = price(
      'EUR',
      [...lines].reverse(),
      { rounding: { tax: 'per-total' } },
      { pricesIncludeTax: true },
    );
    expect(reversed.lines.map((l) => [l.id, l.tax])).toEqual([
      ['c', '0.31'],
      ['b', '0.32'],
      ['a', '0.32'],
    ]);
  });
});

describe('prices, modes and lines', () => {
  it('a line may override the cart price mode', () => {
    const c = price(
      'EUR',
      [
        line('a', '11.90', 1, [pct('v', '19')], { priceIncludesTax: true }),
        line('b', '10.00', 1, [pct('v', '19')]),
      ],
      {},
      { pricesIncludeTax: false },
    );
    expect(c.lines.map((l) => [l.priceIncludesTax, l.net, l.tax, l.total])).toEqual([
      [true, '10.00', '1.90', '11.90'],
      [false, '10.00', '1.90', '11.90'],
    ]);
  });

  it('measured goods: 0.375 kg at 2.99 is 1.12 (rounded once, on the line)', () => {
    const c = price('EUR', [line('a', '2.99', '0.375', [pct('v7', '7')], { unit: 'kg' })]);
    expect([c.lines[0]!.subtotal, c.lines[0]!.tax, c.totals.itemCount]).toEqual(['1.12', '0.08', '1']);
  });

  it('unit prices keep up to 6 decimals (fuel): 1.799 × 40.12 l', () => {
    const c = price(
      'EUR',
      [line('a', '1.799', '40.12', [pct('v19', '19')], { unit: 'l' })],
      {},
      { pricesIncludeTax: true },
    );
    expect([c.lines[0]!.unitPrice, c.lines[0]!.subtotal]).toEqual(['1.799', '72.18']);
  });

  it('counts items: each quantities plus one per measured line', () => {
    const c = price('EUR', [
      line('a', '1', 3),
      line('b', '1', '0.5', [], { unit: 'kg' }),
      line('c', '1', -1),
    ]);
    expect(c.totals.itemCount).toBe('3');
  });

  it('a price override wins over the list price and is reported', () => {
    const c = price('EUR', [
      line('a', '10.00', 2, [], {
        priceOverride: { unitPrice: '8.00', reason: 'damaged box', approvedBy: 'mgr-1' },
      }),
    ]);
    expect([c.lines[0]!.unitPrice, c.lines[0]!.listUnitPrice, c.lines[0]!.subtotal]).toEqual([
      '8.00',
      '10.00',
      '16.00',
    ]);
    expect(c.lines[0]!.adjustments).toEqual([
      { source: 'price-override', id: 'override', amount: '4.00', label: 'damaged box' },
    ]);
    expect(c.lines[0]!.priceOverride).toEqual({
      unitPrice: '8.00',
      reason: 'damaged box',
      approvedBy: 'mgr-1',
    });
  });

  it('tax categories resolve through the rules', () => {
    const c = priceCart(
      {
        currency: 'EUR',
        lines: [{ id: 'a', sku: 'x', unitPrice: '2.40', quantity: 2, taxCategory: 'reduced' }],
      },
      { taxCategories: { reduced: [{ id: 'vat9', rate: '9', name: 'BTW laag' }] } },
    );
    expect(c.lines[0]!.taxes).toEqual([
      expect.objectContaining({ id: 'vat9', name: 'BTW laag', rate: '9', base: '4.80', amount: '0.43' }),
    ]);
  });

  it('receipt codes: A, B… by descending rate; a tax may bring its own', () => {
    const c = price('EUR', [
      line('a', '1', 1, [pct('vat7', '7')]),
      line('b', '1', 1, [pct('vat19', '19')]),
      line('c', '1', 1, [pct('vat0', '0', { code: 'Z' })]),
    ]);
    expect(c.taxBreakdown.map((e) => [e.id, e.code])).toEqual([
      ['vat19', 'A'],
      ['vat7', 'B'],
      ['vat0', 'Z'],
    ]);
    expect(c.lines.map((l) => l.taxes[0]!.code)).toEqual(['B', 'A', 'Z']);
  });

  it('the breakdown takes the tax name from the first line by id, whatever the scan order', () => {
    const a = line('a', '1', 1, [pct('vat', '19', { name: 'MwSt' })]);
    const b = line('b', '1', 1, [pct('vat', '19', { name: 'USt' })]);
    expect(price('EUR', [a, b]).taxBreakdown[0]!.name).toBe('MwSt');
    expect(price('EUR', [b, a]).taxBreakdown[0]!.name).toBe('MwSt');
  });
});

describe('discounts', () => {
  it('line discounts apply one after the other on what remains', () => {
    const c = price('EUR', [
      line('a', '10.00', 1, [], {
        discounts: [
          { id: 'd1', kind: 'percent', value: '10' },
          { id: 'd2', kind: 'amount', value: '1.00' },
          { id: 'd3', kind: 'percent', value: '50' },
        ],
      }),
    ]);
    // 10.00 − 1.00 = 9.00; − 1.00 = 8.00; − 4.00 = 4.00
    expect(c.lines[0]!.adjustments.map((a) => a.amount)).toEqual(['1.00', '1.00', '4.00']);
    expect(c.lines[0]!.adjustments[0]!.label).toBe('10% off');
    expect(c.totals.total).toBe('4.00');
  });

  it('an amount discount larger than the line stops at zero', () => {
    const c = price('EUR', [
      line('a', '3.00', 1, [pct('v', '19')], { discounts: [{ id: 'd', kind: 'amount', value: '5.00' }] }),
    ]);
    expect([c.lines[0]!.discount, c.totals.total]).toEqual(['3.00', '0.00']);
  });

  it('a cart discount is spread over the lines by largest remainder and reported', () => {
    const c = price(
      'EUR',
      [line('a', '1.00', 1), line('b', '1.00', 1), line('c', '1.00', 1)],
      {},
      {
        discounts: [{ id: 'c10', kind: 'amount', value: '1.00', reason: 'loyal customer' }],
      },
    );
    expect(c.lines.map((l) => l.discount)).toEqual(['0.34', '0.33', '0.33']);
    expect(c.discounts).toEqual([
      { id: 'c10', kind: 'amount', value: '1', amount: '1.00', reason: 'loyal customer' },
    ]);
    expect(c.lines[0]!.adjustments[0]).toEqual({
      source: 'cart-discount',
      id: 'c10',
      amount: '0.34',
      label: 'loyal customer',
    });
  });

  it('a gross amount off a net-priced cart takes exactly that off the total here', () => {
    const lines = [line('a', '10.00', 1, [pct('v19', '19')]), line('b', '3.33', 1, [pct('v7', '7')])];
    const before = price('EUR', lines);
    const after = price(
      'EUR',
      lines,
      {},
      { discounts: [{ id: 'd', kind: 'amount', value: '5.00', amountIncludesTax: true }] },
    );
    expect([before.totals.total, after.totals.total]).toEqual(['15.46', '10.46']);
  });

  it('a 100 % discount leaves an included deposit and its VAT, in whole steps', () => {
    const c = price(
      'CHF',
      [line('a', '1.50', 6, deposit(), { discounts: [{ id: 'free', kind: 'percent', value: '100' }] })],
      { rounding: { step: '0.05' } },
      { pricesIncludeTax: true },
    );
    // Deposit 6 × 0.25 = 1.50 plus 19 % on it = 1.785, kept as 1.80 (whole 5-rappen steps).
    expect([c.lines[0]!.subtotal, c.lines[0]!.discount, c.lines[0]!.total]).toEqual(['9.00', '7.20', '1.80']);
    expect(c.lines[0]!.net).toBe('0.00');
    expect(taxAmounts(c)).toEqual(['1.50', '0.30']);
  });

  it('a percentage off a line takes nothing off the deposit it carries, like a cart percentage', () => {
    const goods = () => [line('a', '1.50', 6, deposit())];
    const lineOff = price(
      'CHF',
      [{ ...goods()[0]!, discounts: [{ id: 'half', kind: 'percent', value: '50' }] }],
      { rounding: { step: '0.05' } },
      { pricesIncludeTax: true },
    );
    const cartOff = price(
      'CHF',
      goods(),
      { rounding: { step: '0.05' } },
      {
        pricesIncludeTax: true,
        discounts: [{ id: 'half', kind: 'percent', value: '50' }],
      },
    );
    // 9.00 holds 1.80 of deposit and VAT on it; half of the other 7.20 is 3.60.
    expect([lineOff.lines[0]!.discount, lineOff.totals.total]).toEqual(['3.60', '5.40']);
    expect([cartOff.lines[0]!.discount, cartOff.totals.total]).toEqual(['3.60', '5.40']);
  });

  it('returns carry negative amounts; their discounts are negative and stop at zero', () => {
    const c = price('EUR', [
      line('r', '10.00', -2, [pct('v19', '19')], {
        discounts: [{ id: 'd', kind: 'percent', value: '10' }],
        returnOf: { saleId: 's-1', lineId: 'l-1' },
      }),
    ]);
    expect([
      c.lines[0]!.subtotal,
      c.lines[0]!.discount,
      c.lines[0]!.net,
      c.lines[0]!.tax,
      c.lines[0]!.total,
    ]).toEqual(['-20.00', '-2.00', '-18.00', '-3.42', '-21.42']);
    expect(c.lines[0]!.returnOf).toEqual({ saleId: 's-1', lineId: 'l-1' });
  });
});

describe('edge cases that once broke invariants', () => {
  it('rejects a price below the fixed taxes it includes', () => {
    expect(() => price('EUR', [line('a', '0.10', 1, deposit())], {}, { pricesIncludeTax: true })).toThrow(
      expect.objectContaining({
        code: 'validation.invalid_amount',
        details: expect.objectContaining({ path: ['lines', 0, 'unitPrice'] }),
      }),
    );
    expect(() =>
      price(
        'EUR',
        [line('a', '1.00', 1, deposit(), { priceOverride: { unitPrice: '0', reason: 'free' } })],
        {},
        { pricesIncludeTax: true },
      ),
    ).toThrow(
      expect.objectContaining({
        details: expect.objectContaining({ path: ['lines', 0, 'priceOverride', 'unitPrice'] }),
      }),
    );
    // The same price is fine when the deposit is charged on top.
    // 0.10 + 0.25 + 19 % of 0.35 (0.0665 → 0.07) = 0.42
    expect(price('EUR', [line('a', '0.10', 1, deposit())]).totals.total).toBe('0.42');
  });

  it('two included taxes rounded up on one cent never push the net below zero', () => {
    const c = price(
      'EUR',
      [line('a', '0.01', 1, [pct('v19', '19'), pct('v7', '7')])],
      { rounding: { mode: 'up' } },
      {
        pricesIncludeTax: true,
      },
    );
    expect([c.lines[0]!.net, c.lines[0]!.tax, c.lines[0]!.total]).toEqual(['0.00', '0.01', '0.01']);
  });

  it('one gram of a good with an included excise gives no negative tax', () => {
    const c = price(
      'EUR',
      [line('a', '1.00', '0.001', [fixed('excise', '0.1'), pct('v21', '21')], { unit: 'kg' })],
      {
        rounding: { mode: 'floor' },
      },
      { pricesIncludeTax: true },
    );
    expect([c.lines[0]!.net, c.lines[0]!.tax, c.lines[0]!.total]).toEqual(['0.00', '0.00', '0.00']);
  });

  it('an empty cart prices to zeros', () => {
    const c = price('JPY', []);
    expect(c.totals).toEqual({
      subtotal: '0',
      discount: '0',
      net: '0',
      tax: '0',
      total: '0',
      cashRounding: '0',
      cashTotal: '0',
      itemCount: '0',
    });
  });
});

describe('customer tax exemption', () => {
  it('an exempt customer pays the net of an included price and no tax on top', () => {
    const lines = [
      line('a', '11.90', 3, [pct('v19', '19')]),
      line('b', '10.00', 1, [pct('v19', '19')], { priceIncludesTax: false }),
    ];
    const c = price(
      'EUR',
      lines,
      {},
      { pricesIncludeTax: true, customer: { id: 'embassy', taxExempt: true } },
    );
    expect(c.lines.map((l) => [l.unitPrice, l.listUnitPrice, l.tax, l.total, l.taxes.length])).toEqual([
      ['10.00', '11.90', '0.00', '30.00', 0],
      ['10.00', '10.00', '0.00', '10.00', 0],
    ]);
    expect(c.customer).toEqual({ id: 'embassy', groups: [], taxExempt: true });
    expect(c.taxBreakdown).toEqual([]);
  });

  it('the same cart for a normal customer is taxed', () => {
    const c = price(
      'EUR',
      [line('a', '11.90', 3, [pct('v19', '19')])],
      {},
      { pricesIncludeTax: true, customer: { id: 'walk-in' } },
    );
    expect([c.totals.tax, c.totals.total, c.customer?.taxExempt]).toEqual(['5.70', '35.70', false]);
  });
});

describe('cash rounding', () => {
  it('is a separate amount: tax and total are untouched', () => {
    const c = price(
      'CHF',
      [line('a', '9.99', 1, [pct('mwst', '8.1')])],
      { rounding: { cash: { step: '0.05' } } },
      {
        pricesIncludeTax: true,
      },
    );
    expect([c.totals.tax, c.totals.total, c.totals.cashTotal, c.totals.cashRounding]).toEqual([
      '0.75',
      '9.99',
      '10.00',
      '0.01',
    ]);
  });

  it('follows its own mode (Argentina rounds cash down)', () => {
    const c = price('ARS', [line('a', '10.04', 1)], { rounding: { cash: { step: '0.05', mode: 'floor' } } });
    expect([c.totals.cashTotal, c.totals.cashRounding]).toEqual(['10.00', '-0.04']);
  });

  it('rounds whole yen to 10 and negative totals symmetrically', () => {
    expect(
      price('JPY', [line('a', '1234', 1)], { rounding: { cash: { step: '10' } } }).totals.cashTotal,
    ).toBe('1230');
    const refund = price('SEK', [line('a', '10.60', -1)], { rounding: { cash: { step: '1' } } }).totals;
    expect([refund.cashTotal, refund.cashRounding]).toEqual(['-11.00', '-0.40']);
  });

  it('without a cash rule, cash pays the total', () => {
    const t = price('EUR', [line('a', '9.99', 1)]).totals;
    expect([t.cashTotal, t.cashRounding]).toEqual(['9.99', '0.00']);
  });
});
